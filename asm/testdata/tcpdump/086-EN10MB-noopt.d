(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 4
(002) ldb      [23]
(003) jeq      #0x6             jt 12	jf 4
(004) ldh      [12]
(005) jeq      #0x86dd          jt 6	jf 184
(006) ldb      [20]
(007) jeq      #0x6             jt 12	jf 8
(008) ldb      [20]
(009) jeq      #0x2c            jt 10	jf 184
(010) ldb      [54]
(011) jeq      #0x6             jt 12	jf 184
(012) ldh      [12]
(013) jeq      #0x86dd          jt 14	jf 32
(014) ldb      [20]
(015) jeq      #0x84            jt 16	jf 20
(016) ldh      [54]
(017) jeq      #0x50            jt 168	jf 18
(018) ldh      [56]
(019) jeq      #0x50            jt 168	jf 20
(020) ldb      [20]
(021) jeq      #0x6             jt 22	jf 26
(022) ldh      [54]
(023) jeq      #0x50            jt 168	jf 24
(024) ldh      [56]
(025) jeq      #0x50            jt 168	jf 26
(026) ldb      [20]
(027) jeq      #0x11            jt 28	jf 32
(028) ldh      [54]
(029) jeq      #0x50            jt 168	jf 30
(030) ldh      [56]
(031) jeq      #0x50            jt 168	jf 32
(032) ldh      [12]
(033) jeq      #0x800           jt 34	jf 64
(034) ldb      [23]
(035) jeq      #0x84            jt 36	jf 44
(036) ldh      [20]
(037) jset     #0x1fff          jt 44	jf 38
(038) ldxb     4*([14]&0xf)
(039) ldh      [x + 14]
(040) jeq      #0x50            jt 168	jf 41
(041) ldxb     4*([14]&0xf)
(042) ldh      [x + 16]
(043) jeq      #0x50            jt 168	jf 44
(044) ldb      [23]
(045) jeq      #0x6             jt 46	jf 54
(046) ldh      [20]
(047) jset     #0x1fff          jt 54	jf 48
(048) ldxb     4*([14]&0xf)
(049) ldh      [x + 14]
(050) jeq      #0x50            jt 168	jf 51
(051) ldxb     4*([14]&0xf)
(052) ldh      [x + 16]
(053) jeq      #0x50            jt 168	jf 54
(054) ldb      [23]
(055) jeq      #0x11            jt 56	jf 64
(056) ldh      [20]
(057) jset     #0x1fff          jt 64	jf 58
(058) ldxb     4*([14]&0xf)
(059) ldh      [x + 14]
(060) jeq      #0x50            jt 168	jf 61
(061) ldxb     4*([14]&0xf)
(062) ldh      [x + 16]
(063) jeq      #0x50            jt 168	jf 64
(064) ldh      [12]
(065) jeq      #0x86dd          jt 66	jf 84
(066) ldb      [20]
(067) jeq      #0x84            jt 68	jf 72
(068) ldh      [54]
(069) jeq      #0x1bb           jt 168	jf 70
(070) ldh      [56]
(071) jeq      #0x1bb           jt 168	jf 72
(072) ldb      [20]
(073) jeq      #0x6             jt 74	jf 78
(074) ldh      [54]
(075) jeq      #0x1bb           jt 168	jf 76
(076) ldh      [56]
(077) jeq      #0x1bb           jt 168	jf 78
(078) ldb      [20]
(079) jeq      #0x11            jt 80	jf 84
(080) ldh      [54]
(081) jeq      #0x1bb           jt 168	jf 82
(082) ldh      [56]
(083) jeq      #0x1bb           jt 168	jf 84
(084) ldh      [12]
(085) jeq      #0x800           jt 86	jf 116
(086) ldb      [23]
(087) jeq      #0x84            jt 88	jf 96
(088) ldh      [20]
(089) jset     #0x1fff          jt 96	jf 90
(090) ldxb     4*([14]&0xf)
(091) ldh      [x + 14]
(092) jeq      #0x1bb           jt 168	jf 93
(093) ldxb     4*([14]&0xf)
(094) ldh      [x + 16]
(095) jeq      #0x1bb           jt 168	jf 96
(096) ldb      [23]
(097) jeq      #0x6             jt 98	jf 106
(098) ldh      [20]
(099) jset     #0x1fff          jt 106	jf 100
(100) ldxb     4*([14]&0xf)
(101) ldh      [x + 14]
(102) jeq      #0x1bb           jt 168	jf 103
(103) ldxb     4*([14]&0xf)
(104) ldh      [x + 16]
(105) jeq      #0x1bb           jt 168	jf 106
(106) ldb      [23]
(107) jeq      #0x11            jt 108	jf 116
(108) ldh      [20]
(109) jset     #0x1fff          jt 116	jf 110
(110) ldxb     4*([14]&0xf)
(111) ldh      [x + 14]
(112) jeq      #0x1bb           jt 168	jf 113
(113) ldxb     4*([14]&0xf)
(114) ldh      [x + 16]
(115) jeq      #0x1bb           jt 168	jf 116
(116) ldh      [12]
(117) jeq      #0x86dd          jt 118	jf 136
(118) ldb      [20]
(119) jeq      #0x84            jt 120	jf 124
(120) ldh      [54]
(121) jeq      #0x1f90          jt 168	jf 122
(122) ldh      [56]
(123) jeq      #0x1f90          jt 168	jf 124
(124) ldb      [20]
(125) jeq      #0x6             jt 126	jf 130
(126) ldh      [54]
(127) jeq      #0x1f90          jt 168	jf 128
(128) ldh      [56]
(129) jeq      #0x1f90          jt 168	jf 130
(130) ldb      [20]
(131) jeq      #0x11            jt 132	jf 136
(132) ldh      [54]
(133) jeq      #0x1f90          jt 168	jf 134
(134) ldh      [56]
(135) jeq      #0x1f90          jt 168	jf 136
(136) ldh      [12]
(137) jeq      #0x800           jt 138	jf 184
(138) ldb      [23]
(139) jeq      #0x84            jt 140	jf 148
(140) ldh      [20]
(141) jset     #0x1fff          jt 148	jf 142
(142) ldxb     4*([14]&0xf)
(143) ldh      [x + 14]
(144) jeq      #0x1f90          jt 168	jf 145
(145) ldxb     4*([14]&0xf)
(146) ldh      [x + 16]
(147) jeq      #0x1f90          jt 168	jf 148
(148) ldb      [23]
(149) jeq      #0x6             jt 150	jf 158
(150) ldh      [20]
(151) jset     #0x1fff          jt 158	jf 152
(152) ldxb     4*([14]&0xf)
(153) ldh      [x + 14]
(154) jeq      #0x1f90          jt 168	jf 155
(155) ldxb     4*([14]&0xf)
(156) ldh      [x + 16]
(157) jeq      #0x1f90          jt 168	jf 158
(158) ldb      [23]
(159) jeq      #0x11            jt 160	jf 184
(160) ldh      [20]
(161) jset     #0x1fff          jt 184	jf 162
(162) ldxb     4*([14]&0xf)
(163) ldh      [x + 14]
(164) jeq      #0x1f90          jt 168	jf 165
(165) ldxb     4*([14]&0xf)
(166) ldh      [x + 16]
(167) jeq      #0x1f90          jt 168	jf 184
(168) ldh      [12]
(169) jeq      #0x800           jt 170	jf 173
(170) ld       [26]
(171) and      #0xff000000
(172) jeq      #0xa000000       jt 184	jf 173
(173) ldh      [12]
(174) jeq      #0x806           jt 175	jf 178
(175) ld       [28]
(176) and      #0xff000000
(177) jeq      #0xa000000       jt 184	jf 178
(178) ldh      [12]
(179) jeq      #0x8035          jt 180	jf 183
(180) ld       [28]
(181) and      #0xff000000
(182) jeq      #0xa000000       jt 184	jf 183
(183) ret      #262144
(184) ret      #0
