(000) ldh      [14]
(001) jeq      #0x86dd          jt 2	jf 131
(002) ld       [24]
(003) jeq      #0x20010db8      jt 4	jf 10
(004) ld       [28]
(005) jeq      #0x0             jt 6	jf 10
(006) ld       [32]
(007) jeq      #0x0             jt 8	jf 10
(008) ld       [36]
(009) jeq      #0x1             jt 130	jf 10
(010) ld       [40]
(011) jeq      #0x20010db8      jt 12	jf 18
(012) ld       [44]
(013) jeq      #0x0             jt 14	jf 18
(014) ld       [48]
(015) jeq      #0x0             jt 16	jf 18
(016) ld       [52]
(017) jeq      #0x1             jt 130	jf 18
(018) ld       [24]
(019) jeq      #0x20010db8      jt 20	jf 26
(020) ld       [28]
(021) jeq      #0x0             jt 22	jf 26
(022) ld       [32]
(023) jeq      #0x0             jt 24	jf 26
(024) ld       [36]
(025) jeq      #0x2             jt 130	jf 26
(026) ld       [40]
(027) jeq      #0x20010db8      jt 28	jf 34
(028) ld       [44]
(029) jeq      #0x0             jt 30	jf 34
(030) ld       [48]
(031) jeq      #0x0             jt 32	jf 34
(032) ld       [52]
(033) jeq      #0x2             jt 130	jf 34
(034) ld       [24]
(035) jeq      #0x20010db8      jt 36	jf 42
(036) ld       [28]
(037) jeq      #0x0             jt 38	jf 42
(038) ld       [32]
(039) jeq      #0x0             jt 40	jf 42
(040) ld       [36]
(041) jeq      #0x3             jt 130	jf 42
(042) ld       [40]
(043) jeq      #0x20010db8      jt 44	jf 50
(044) ld       [44]
(045) jeq      #0x0             jt 46	jf 50
(046) ld       [48]
(047) jeq      #0x0             jt 48	jf 50
(048) ld       [52]
(049) jeq      #0x3             jt 130	jf 50
(050) ld       [24]
(051) jeq      #0x20010db8      jt 52	jf 58
(052) ld       [28]
(053) jeq      #0x0             jt 54	jf 58
(054) ld       [32]
(055) jeq      #0x0             jt 56	jf 58
(056) ld       [36]
(057) jeq      #0x4             jt 130	jf 58
(058) ld       [40]
(059) jeq      #0x20010db8      jt 60	jf 66
(060) ld       [44]
(061) jeq      #0x0             jt 62	jf 66
(062) ld       [48]
(063) jeq      #0x0             jt 64	jf 66
(064) ld       [52]
(065) jeq      #0x4             jt 130	jf 66
(066) ld       [24]
(067) jeq      #0x20010db8      jt 68	jf 74
(068) ld       [28]
(069) jeq      #0x0             jt 70	jf 74
(070) ld       [32]
(071) jeq      #0x0             jt 72	jf 74
(072) ld       [36]
(073) jeq      #0x5             jt 130	jf 74
(074) ld       [40]
(075) jeq      #0x20010db8      jt 76	jf 82
(076) ld       [44]
(077) jeq      #0x0             jt 78	jf 82
(078) ld       [48]
(079) jeq      #0x0             jt 80	jf 82
(080) ld       [52]
(081) jeq      #0x5             jt 130	jf 82
(082) ld       [24]
(083) jeq      #0x20010db8      jt 84	jf 90
(084) ld       [28]
(085) jeq      #0x0             jt 86	jf 90
(086) ld       [32]
(087) jeq      #0x0             jt 88	jf 90
(088) ld       [36]
(089) jeq      #0x6             jt 130	jf 90
(090) ld       [40]
(091) jeq      #0x20010db8      jt 92	jf 98
(092) ld       [44]
(093) jeq      #0x0             jt 94	jf 98
(094) ld       [48]
(095) jeq      #0x0             jt 96	jf 98
(096) ld       [52]
(097) jeq      #0x6             jt 130	jf 98
(098) ld       [24]
(099) jeq      #0x20010db8      jt 100	jf 106
(100) ld       [28]
(101) jeq      #0x0             jt 102	jf 106
(102) ld       [32]
(103) jeq      #0x0             jt 104	jf 106
(104) ld       [36]
(105) jeq      #0x7             jt 130	jf 106
(106) ld       [40]
(107) jeq      #0x20010db8      jt 108	jf 114
(108) ld       [44]
(109) jeq      #0x0             jt 110	jf 114
(110) ld       [48]
(111) jeq      #0x0             jt 112	jf 114
(112) ld       [52]
(113) jeq      #0x7             jt 130	jf 114
(114) ld       [24]
(115) jeq      #0x20010db8      jt 116	jf 122
(116) ld       [28]
(117) jeq      #0x0             jt 118	jf 122
(118) ld       [32]
(119) jeq      #0x0             jt 120	jf 122
(120) ld       [36]
(121) jeq      #0x8             jt 130	jf 122
(122) ld       [40]
(123) jeq      #0x20010db8      jt 124	jf 131
(124) ld       [44]
(125) jeq      #0x0             jt 126	jf 131
(126) ld       [48]
(127) jeq      #0x0             jt 128	jf 131
(128) ld       [52]
(129) jeq      #0x8             jt 130	jf 131
(130) ret      #262144
(131) ret      #0
