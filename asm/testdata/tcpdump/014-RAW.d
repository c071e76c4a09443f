(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 9
(003) ldb      [6]
(004) jeq      #0x84            jt 7	jf 5
(005) jeq      #0x6             jt 7	jf 6
(006) jeq      #0x11            jt 7	jf 22
(007) ldh      [40]
(008) jeq      #0x400           jt 21	jf 22
(009) ldb      [0]
(010) and      #0xf0
(011) jeq      #0x40            jt 12	jf 22
(012) ldb      [9]
(013) jeq      #0x84            jt 16	jf 14
(014) jeq      #0x6             jt 16	jf 15
(015) jeq      #0x11            jt 16	jf 22
(016) ldh      [6]
(017) jset     #0x1fff          jt 22	jf 18
(018) ldxb     4*([0]&0xf)
(019) ldh      [x + 0]
(020) jeq      #0x400           jt 21	jf 22
(021) ret      #262144
(022) ret      #0
