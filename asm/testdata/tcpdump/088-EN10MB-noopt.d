(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 4
(002) ldb      [23]
(003) jeq      #0x6             jt 24	jf 4
(004) ldh      [12]
(005) jeq      #0x86dd          jt 6	jf 12
(006) ldb      [20]
(007) jeq      #0x6             jt 24	jf 8
(008) ldb      [20]
(009) jeq      #0x2c            jt 10	jf 12
(010) ldb      [54]
(011) jeq      #0x6             jt 24	jf 12
(012) ldh      [12]
(013) jeq      #0x800           jt 14	jf 16
(014) ldb      [23]
(015) jeq      #0x11            jt 24	jf 16
(016) ldh      [12]
(017) jeq      #0x86dd          jt 18	jf 131
(018) ldb      [20]
(019) jeq      #0x11            jt 24	jf 20
(020) ldb      [20]
(021) jeq      #0x2c            jt 22	jf 131
(022) ldb      [54]
(023) jeq      #0x11            jt 24	jf 131
(024) ldh      [12]
(025) jeq      #0x800           jt 26	jf 28
(026) ld       [26]
(027) jeq      #0xa000001       jt 48	jf 28
(028) ldh      [12]
(029) jeq      #0x806           jt 30	jf 32
(030) ld       [28]
(031) jeq      #0xa000001       jt 48	jf 32
(032) ldh      [12]
(033) jeq      #0x8035          jt 34	jf 36
(034) ld       [28]
(035) jeq      #0xa000001       jt 48	jf 36
(036) ldh      [12]
(037) jeq      #0x800           jt 38	jf 40
(038) ld       [30]
(039) jeq      #0xa000002       jt 48	jf 40
(040) ldh      [12]
(041) jeq      #0x806           jt 42	jf 44
(042) ld       [38]
(043) jeq      #0xa000002       jt 48	jf 44
(044) ldh      [12]
(045) jeq      #0x8035          jt 46	jf 131
(046) ld       [38]
(047) jeq      #0xa000002       jt 48	jf 131
(048) ldh      [12]
(049) jeq      #0x86dd          jt 50	jf 80
(050) ldb      [20]
(051) jeq      #0x84            jt 52	jf 60
(052) ldh      [54]
(053) jge      #0x3e8           jt 54	jf 56
(054) ldh      [54]
(055) jgt      #0x7d0           jt 56	jf 130
(056) ldh      [56]
(057) jge      #0x3e8           jt 58	jf 60
(058) ldh      [56]
(059) jgt      #0x7d0           jt 60	jf 130
(060) ldb      [20]
(061) jeq      #0x6             jt 62	jf 70
(062) ldh      [54]
(063) jge      #0x3e8           jt 64	jf 66
(064) ldh      [54]
(065) jgt      #0x7d0           jt 66	jf 130
(066) ldh      [56]
(067) jge      #0x3e8           jt 68	jf 70
(068) ldh      [56]
(069) jgt      #0x7d0           jt 70	jf 130
(070) ldb      [20]
(071) jeq      #0x11            jt 72	jf 80
(072) ldh      [54]
(073) jge      #0x3e8           jt 74	jf 76
(074) ldh      [54]
(075) jgt      #0x7d0           jt 76	jf 130
(076) ldh      [56]
(077) jge      #0x3e8           jt 78	jf 80
(078) ldh      [56]
(079) jgt      #0x7d0           jt 80	jf 130
(080) ldh      [12]
(081) jeq      #0x800           jt 82	jf 131
(082) ldb      [23]
(083) jeq      #0x84            jt 84	jf 98
(084) ldh      [20]
(085) jset     #0x1fff          jt 98	jf 86
(086) ldxb     4*([14]&0xf)
(087) ldh      [x + 14]
(088) jge      #0x3e8           jt 89	jf 92
(089) ldxb     4*([14]&0xf)
(090) ldh      [x + 14]
(091) jgt      #0x7d0           jt 92	jf 130
(092) ldxb     4*([14]&0xf)
(093) ldh      [x + 16]
(094) jge      #0x3e8           jt 95	jf 98
(095) ldxb     4*([14]&0xf)
(096) ldh      [x + 16]
(097) jgt      #0x7d0           jt 98	jf 130
(098) ldb      [23]
(099) jeq      #0x6             jt 100	jf 114
(100) ldh      [20]
(101) jset     #0x1fff          jt 114	jf 102
(102) ldxb     4*([14]&0xf)
(103) ldh      [x + 14]
(104) jge      #0x3e8           jt 105	jf 108
(105) ldxb     4*([14]&0xf)
(106) ldh      [x + 14]
(107) jgt      #0x7d0           jt 108	jf 130
(108) ldxb     4*([14]&0xf)
(109) ldh      [x + 16]
(110) jge      #0x3e8           jt 111	jf 114
(111) ldxb     4*([14]&0xf)
(112) ldh      [x + 16]
(113) jgt      #0x7d0           jt 114	jf 130
(114) ldb      [23]
(115) jeq      #0x11            jt 116	jf 131
(116) ldh      [20]
(117) jset     #0x1fff          jt 131	jf 118
(118) ldxb     4*([14]&0xf)
(119) ldh      [x + 14]
(120) jge      #0x3e8           jt 121	jf 124
(121) ldxb     4*([14]&0xf)
(122) ldh      [x + 14]
(123) jgt      #0x7d0           jt 124	jf 130
(124) ldxb     4*([14]&0xf)
(125) ldh      [x + 16]
(126) jge      #0x3e8           jt 127	jf 131
(127) ldxb     4*([14]&0xf)
(128) ldh      [x + 16]
(129) jgt      #0x7d0           jt 131	jf 130
(130) ret      #262144
(131) ret      #0
