(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 20
(002) ldb      [20]
(003) jeq      #0x84            jt 4	jf 8
(004) ldh      [54]
(005) jeq      #0x1bb           jt 52	jf 6
(006) ldh      [56]
(007) jeq      #0x1bb           jt 52	jf 8
(008) ldb      [20]
(009) jeq      #0x6             jt 10	jf 14
(010) ldh      [54]
(011) jeq      #0x1bb           jt 52	jf 12
(012) ldh      [56]
(013) jeq      #0x1bb           jt 52	jf 14
(014) ldb      [20]
(015) jeq      #0x11            jt 16	jf 20
(016) ldh      [54]
(017) jeq      #0x1bb           jt 52	jf 18
(018) ldh      [56]
(019) jeq      #0x1bb           jt 52	jf 20
(020) ldh      [12]
(021) jeq      #0x800           jt 22	jf 53
(022) ldb      [23]
(023) jeq      #0x84            jt 24	jf 32
(024) ldh      [20]
(025) jset     #0x1fff          jt 32	jf 26
(026) ldxb     4*([14]&0xf)
(027) ldh      [x + 14]
(028) jeq      #0x1bb           jt 52	jf 29
(029) ldxb     4*([14]&0xf)
(030) ldh      [x + 16]
(031) jeq      #0x1bb           jt 52	jf 32
(032) ldb      [23]
(033) jeq      #0x6             jt 34	jf 42
(034) ldh      [20]
(035) jset     #0x1fff          jt 42	jf 36
(036) ldxb     4*([14]&0xf)
(037) ldh      [x + 14]
(038) jeq      #0x1bb           jt 52	jf 39
(039) ldxb     4*([14]&0xf)
(040) ldh      [x + 16]
(041) jeq      #0x1bb           jt 52	jf 42
(042) ldb      [23]
(043) jeq      #0x11            jt 44	jf 53
(044) ldh      [20]
(045) jset     #0x1fff          jt 53	jf 46
(046) ldxb     4*([14]&0xf)
(047) ldh      [x + 14]
(048) jeq      #0x1bb           jt 52	jf 49
(049) ldxb     4*([14]&0xf)
(050) ldh      [x + 16]
(051) jeq      #0x1bb           jt 52	jf 53
(052) ret      #262144
(053) ret      #0
