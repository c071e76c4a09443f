(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 9
(003) ldb      [6]
(004) jeq      #0x84            jt 7	jf 5
(005) jeq      #0x6             jt 7	jf 6
(006) jeq      #0x11            jt 7	jf 23
(007) ldh      [42]
(008) jeq      #0x16            jt 22	jf 21
(009) ldb      [0]
(010) and      #0xf0
(011) jeq      #0x40            jt 12	jf 23
(012) ldb      [9]
(013) jeq      #0x84            jt 16	jf 14
(014) jeq      #0x6             jt 16	jf 15
(015) jeq      #0x11            jt 16	jf 23
(016) ldh      [6]
(017) jset     #0x1fff          jt 23	jf 18
(018) ldxb     4*([0]&0xf)
(019) ldh      [x + 2]
(020) jeq      #0x16            jt 22	jf 21
(021) jeq      #0x8ae           jt 22	jf 23
(022) ret      #262144
(023) ret      #0
