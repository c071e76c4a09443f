(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 10
(002) ld       [22]
(003) jeq      #0x20010db8      jt 4	jf 10
(004) ld       [26]
(005) jeq      #0x0             jt 6	jf 10
(006) ld       [30]
(007) jeq      #0x0             jt 8	jf 10
(008) ld       [34]
(009) jeq      #0x1             jt 160	jf 10
(010) ldh      [12]
(011) jeq      #0x86dd          jt 12	jf 20
(012) ld       [38]
(013) jeq      #0x20010db8      jt 14	jf 20
(014) ld       [42]
(015) jeq      #0x0             jt 16	jf 20
(016) ld       [46]
(017) jeq      #0x0             jt 18	jf 20
(018) ld       [50]
(019) jeq      #0x1             jt 160	jf 20
(020) ldh      [12]
(021) jeq      #0x86dd          jt 22	jf 30
(022) ld       [22]
(023) jeq      #0x20010db8      jt 24	jf 30
(024) ld       [26]
(025) jeq      #0x0             jt 26	jf 30
(026) ld       [30]
(027) jeq      #0x0             jt 28	jf 30
(028) ld       [34]
(029) jeq      #0x2             jt 160	jf 30
(030) ldh      [12]
(031) jeq      #0x86dd          jt 32	jf 40
(032) ld       [38]
(033) jeq      #0x20010db8      jt 34	jf 40
(034) ld       [42]
(035) jeq      #0x0             jt 36	jf 40
(036) ld       [46]
(037) jeq      #0x0             jt 38	jf 40
(038) ld       [50]
(039) jeq      #0x2             jt 160	jf 40
(040) ldh      [12]
(041) jeq      #0x86dd          jt 42	jf 50
(042) ld       [22]
(043) jeq      #0x20010db8      jt 44	jf 50
(044) ld       [26]
(045) jeq      #0x0             jt 46	jf 50
(046) ld       [30]
(047) jeq      #0x0             jt 48	jf 50
(048) ld       [34]
(049) jeq      #0x3             jt 160	jf 50
(050) ldh      [12]
(051) jeq      #0x86dd          jt 52	jf 60
(052) ld       [38]
(053) jeq      #0x20010db8      jt 54	jf 60
(054) ld       [42]
(055) jeq      #0x0             jt 56	jf 60
(056) ld       [46]
(057) jeq      #0x0             jt 58	jf 60
(058) ld       [50]
(059) jeq      #0x3             jt 160	jf 60
(060) ldh      [12]
(061) jeq      #0x86dd          jt 62	jf 70
(062) ld       [22]
(063) jeq      #0x20010db8      jt 64	jf 70
(064) ld       [26]
(065) jeq      #0x0             jt 66	jf 70
(066) ld       [30]
(067) jeq      #0x0             jt 68	jf 70
(068) ld       [34]
(069) jeq      #0x4             jt 160	jf 70
(070) ldh      [12]
(071) jeq      #0x86dd          jt 72	jf 80
(072) ld       [38]
(073) jeq      #0x20010db8      jt 74	jf 80
(074) ld       [42]
(075) jeq      #0x0             jt 76	jf 80
(076) ld       [46]
(077) jeq      #0x0             jt 78	jf 80
(078) ld       [50]
(079) jeq      #0x4             jt 160	jf 80
(080) ldh      [12]
(081) jeq      #0x86dd          jt 82	jf 90
(082) ld       [22]
(083) jeq      #0x20010db8      jt 84	jf 90
(084) ld       [26]
(085) jeq      #0x0             jt 86	jf 90
(086) ld       [30]
(087) jeq      #0x0             jt 88	jf 90
(088) ld       [34]
(089) jeq      #0x5             jt 160	jf 90
(090) ldh      [12]
(091) jeq      #0x86dd          jt 92	jf 100
(092) ld       [38]
(093) jeq      #0x20010db8      jt 94	jf 100
(094) ld       [42]
(095) jeq      #0x0             jt 96	jf 100
(096) ld       [46]
(097) jeq      #0x0             jt 98	jf 100
(098) ld       [50]
(099) jeq      #0x5             jt 160	jf 100
(100) ldh      [12]
(101) jeq      #0x86dd          jt 102	jf 110
(102) ld       [22]
(103) jeq      #0x20010db8      jt 104	jf 110
(104) ld       [26]
(105) jeq      #0x0             jt 106	jf 110
(106) ld       [30]
(107) jeq      #0x0             jt 108	jf 110
(108) ld       [34]
(109) jeq      #0x6             jt 160	jf 110
(110) ldh      [12]
(111) jeq      #0x86dd          jt 112	jf 120
(112) ld       [38]
(113) jeq      #0x20010db8      jt 114	jf 120
(114) ld       [42]
(115) jeq      #0x0             jt 116	jf 120
(116) ld       [46]
(117) jeq      #0x0             jt 118	jf 120
(118) ld       [50]
(119) jeq      #0x6             jt 160	jf 120
(120) ldh      [12]
(121) jeq      #0x86dd          jt 122	jf 130
(122) ld       [22]
(123) jeq      #0x20010db8      jt 124	jf 130
(124) ld       [26]
(125) jeq      #0x0             jt 126	jf 130
(126) ld       [30]
(127) jeq      #0x0             jt 128	jf 130
(128) ld       [34]
(129) jeq      #0x7             jt 160	jf 130
(130) ldh      [12]
(131) jeq      #0x86dd          jt 132	jf 140
(132) ld       [38]
(133) jeq      #0x20010db8      jt 134	jf 140
(134) ld       [42]
(135) jeq      #0x0             jt 136	jf 140
(136) ld       [46]
(137) jeq      #0x0             jt 138	jf 140
(138) ld       [50]
(139) jeq      #0x7             jt 160	jf 140
(140) ldh      [12]
(141) jeq      #0x86dd          jt 142	jf 150
(142) ld       [22]
(143) jeq      #0x20010db8      jt 144	jf 150
(144) ld       [26]
(145) jeq      #0x0             jt 146	jf 150
(146) ld       [30]
(147) jeq      #0x0             jt 148	jf 150
(148) ld       [34]
(149) jeq      #0x8             jt 160	jf 150
(150) ldh      [12]
(151) jeq      #0x86dd          jt 152	jf 161
(152) ld       [38]
(153) jeq      #0x20010db8      jt 154	jf 161
(154) ld       [42]
(155) jeq      #0x0             jt 156	jf 161
(156) ld       [46]
(157) jeq      #0x0             jt 158	jf 161
(158) ld       [50]
(159) jeq      #0x8             jt 160	jf 161
(160) ret      #262144
(161) ret      #0
