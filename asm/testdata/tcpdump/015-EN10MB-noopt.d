(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 14
(002) ldb      [20]
(003) jeq      #0x84            jt 4	jf 6
(004) ldh      [56]
(005) jeq      #0x16            jt 74	jf 6
(006) ldb      [20]
(007) jeq      #0x6             jt 8	jf 10
(008) ldh      [56]
(009) jeq      #0x16            jt 74	jf 10
(010) ldb      [20]
(011) jeq      #0x11            jt 12	jf 14
(012) ldh      [56]
(013) jeq      #0x16            jt 74	jf 14
(014) ldh      [12]
(015) jeq      #0x800           jt 16	jf 37
(016) ldb      [23]
(017) jeq      #0x84            jt 18	jf 23
(018) ldh      [20]
(019) jset     #0x1fff          jt 23	jf 20
(020) ldxb     4*([14]&0xf)
(021) ldh      [x + 16]
(022) jeq      #0x16            jt 74	jf 23
(023) ldb      [23]
(024) jeq      #0x6             jt 25	jf 30
(025) ldh      [20]
(026) jset     #0x1fff          jt 30	jf 27
(027) ldxb     4*([14]&0xf)
(028) ldh      [x + 16]
(029) jeq      #0x16            jt 74	jf 30
(030) ldb      [23]
(031) jeq      #0x11            jt 32	jf 37
(032) ldh      [20]
(033) jset     #0x1fff          jt 37	jf 34
(034) ldxb     4*([14]&0xf)
(035) ldh      [x + 16]
(036) jeq      #0x16            jt 74	jf 37
(037) ldh      [12]
(038) jeq      #0x86dd          jt 39	jf 51
(039) ldb      [20]
(040) jeq      #0x84            jt 41	jf 43
(041) ldh      [56]
(042) jeq      #0x8ae           jt 74	jf 43
(043) ldb      [20]
(044) jeq      #0x6             jt 45	jf 47
(045) ldh      [56]
(046) jeq      #0x8ae           jt 74	jf 47
(047) ldb      [20]
(048) jeq      #0x11            jt 49	jf 51
(049) ldh      [56]
(050) jeq      #0x8ae           jt 74	jf 51
(051) ldh      [12]
(052) jeq      #0x800           jt 53	jf 75
(053) ldb      [23]
(054) jeq      #0x84            jt 55	jf 60
(055) ldh      [20]
(056) jset     #0x1fff          jt 60	jf 57
(057) ldxb     4*([14]&0xf)
(058) ldh      [x + 16]
(059) jeq      #0x8ae           jt 74	jf 60
(060) ldb      [23]
(061) jeq      #0x6             jt 62	jf 67
(062) ldh      [20]
(063) jset     #0x1fff          jt 67	jf 64
(064) ldxb     4*([14]&0xf)
(065) ldh      [x + 16]
(066) jeq      #0x8ae           jt 74	jf 67
(067) ldb      [23]
(068) jeq      #0x11            jt 69	jf 75
(069) ldh      [20]
(070) jset     #0x1fff          jt 75	jf 71
(071) ldxb     4*([14]&0xf)
(072) ldh      [x + 16]
(073) jeq      #0x8ae           jt 74	jf 75
(074) ret      #262144
(075) ret      #0
