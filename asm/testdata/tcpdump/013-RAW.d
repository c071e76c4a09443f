(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 11
(003) ldb      [6]
(004) jeq      #0x84            jt 7	jf 5
(005) jeq      #0x6             jt 7	jf 6
(006) jeq      #0x11            jt 7	jf 26
(007) ldh      [40]
(008) jeq      #0x1bb           jt 25	jf 9
(009) ldh      [42]
(010) jeq      #0x1bb           jt 25	jf 26
(011) ldb      [0]
(012) and      #0xf0
(013) jeq      #0x40            jt 14	jf 26
(014) ldb      [9]
(015) jeq      #0x84            jt 18	jf 16
(016) jeq      #0x6             jt 18	jf 17
(017) jeq      #0x11            jt 18	jf 26
(018) ldh      [6]
(019) jset     #0x1fff          jt 26	jf 20
(020) ldxb     4*([0]&0xf)
(021) ldh      [x + 0]
(022) jeq      #0x1bb           jt 25	jf 23
(023) ldh      [x + 2]
(024) jeq      #0x1bb           jt 25	jf 26
(025) ret      #262144
(026) ret      #0
