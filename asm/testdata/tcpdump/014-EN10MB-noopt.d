(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 14
(002) ldb      [20]
(003) jeq      #0x84            jt 4	jf 6
(004) ldh      [54]
(005) jeq      #0x400           jt 37	jf 6
(006) ldb      [20]
(007) jeq      #0x6             jt 8	jf 10
(008) ldh      [54]
(009) jeq      #0x400           jt 37	jf 10
(010) ldb      [20]
(011) jeq      #0x11            jt 12	jf 14
(012) ldh      [54]
(013) jeq      #0x400           jt 37	jf 14
(014) ldh      [12]
(015) jeq      #0x800           jt 16	jf 38
(016) ldb      [23]
(017) jeq      #0x84            jt 18	jf 23
(018) ldh      [20]
(019) jset     #0x1fff          jt 23	jf 20
(020) ldxb     4*([14]&0xf)
(021) ldh      [x + 14]
(022) jeq      #0x400           jt 37	jf 23
(023) ldb      [23]
(024) jeq      #0x6             jt 25	jf 30
(025) ldh      [20]
(026) jset     #0x1fff          jt 30	jf 27
(027) ldxb     4*([14]&0xf)
(028) ldh      [x + 14]
(029) jeq      #0x400           jt 37	jf 30
(030) ldb      [23]
(031) jeq      #0x11            jt 32	jf 38
(032) ldh      [20]
(033) jset     #0x1fff          jt 38	jf 34
(034) ldxb     4*([14]&0xf)
(035) ldh      [x + 14]
(036) jeq      #0x400           jt 37	jf 38
(037) ret      #262144
(038) ret      #0
