(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 132
(003) ld       [8]
(004) jeq      #0x20010db8      jt 5	jf 11
(005) ld       [12]
(006) jeq      #0x0             jt 7	jf 11
(007) ld       [16]
(008) jeq      #0x0             jt 9	jf 11
(009) ld       [20]
(010) jeq      #0x1             jt 131	jf 11
(011) ld       [24]
(012) jeq      #0x20010db8      jt 13	jf 19
(013) ld       [28]
(014) jeq      #0x0             jt 15	jf 19
(015) ld       [32]
(016) jeq      #0x0             jt 17	jf 19
(017) ld       [36]
(018) jeq      #0x1             jt 131	jf 19
(019) ld       [8]
(020) jeq      #0x20010db8      jt 21	jf 27
(021) ld       [12]
(022) jeq      #0x0             jt 23	jf 27
(023) ld       [16]
(024) jeq      #0x0             jt 25	jf 27
(025) ld       [20]
(026) jeq      #0x2             jt 131	jf 27
(027) ld       [24]
(028) jeq      #0x20010db8      jt 29	jf 35
(029) ld       [28]
(030) jeq      #0x0             jt 31	jf 35
(031) ld       [32]
(032) jeq      #0x0             jt 33	jf 35
(033) ld       [36]
(034) jeq      #0x2             jt 131	jf 35
(035) ld       [8]
(036) jeq      #0x20010db8      jt 37	jf 43
(037) ld       [12]
(038) jeq      #0x0             jt 39	jf 43
(039) ld       [16]
(040) jeq      #0x0             jt 41	jf 43
(041) ld       [20]
(042) jeq      #0x3             jt 131	jf 43
(043) ld       [24]
(044) jeq      #0x20010db8      jt 45	jf 51
(045) ld       [28]
(046) jeq      #0x0             jt 47	jf 51
(047) ld       [32]
(048) jeq      #0x0             jt 49	jf 51
(049) ld       [36]
(050) jeq      #0x3             jt 131	jf 51
(051) ld       [8]
(052) jeq      #0x20010db8      jt 53	jf 59
(053) ld       [12]
(054) jeq      #0x0             jt 55	jf 59
(055) ld       [16]
(056) jeq      #0x0             jt 57	jf 59
(057) ld       [20]
(058) jeq      #0x4             jt 131	jf 59
(059) ld       [24]
(060) jeq      #0x20010db8      jt 61	jf 67
(061) ld       [28]
(062) jeq      #0x0             jt 63	jf 67
(063) ld       [32]
(064) jeq      #0x0             jt 65	jf 67
(065) ld       [36]
(066) jeq      #0x4             jt 131	jf 67
(067) ld       [8]
(068) jeq      #0x20010db8      jt 69	jf 75
(069) ld       [12]
(070) jeq      #0x0             jt 71	jf 75
(071) ld       [16]
(072) jeq      #0x0             jt 73	jf 75
(073) ld       [20]
(074) jeq      #0x5             jt 131	jf 75
(075) ld       [24]
(076) jeq      #0x20010db8      jt 77	jf 83
(077) ld       [28]
(078) jeq      #0x0             jt 79	jf 83
(079) ld       [32]
(080) jeq      #0x0             jt 81	jf 83
(081) ld       [36]
(082) jeq      #0x5             jt 131	jf 83
(083) ld       [8]
(084) jeq      #0x20010db8      jt 85	jf 91
(085) ld       [12]
(086) jeq      #0x0             jt 87	jf 91
(087) ld       [16]
(088) jeq      #0x0             jt 89	jf 91
(089) ld       [20]
(090) jeq      #0x6             jt 131	jf 91
(091) ld       [24]
(092) jeq      #0x20010db8      jt 93	jf 99
(093) ld       [28]
(094) jeq      #0x0             jt 95	jf 99
(095) ld       [32]
(096) jeq      #0x0             jt 97	jf 99
(097) ld       [36]
(098) jeq      #0x6             jt 131	jf 99
(099) ld       [8]
(100) jeq      #0x20010db8      jt 101	jf 107
(101) ld       [12]
(102) jeq      #0x0             jt 103	jf 107
(103) ld       [16]
(104) jeq      #0x0             jt 105	jf 107
(105) ld       [20]
(106) jeq      #0x7             jt 131	jf 107
(107) ld       [24]
(108) jeq      #0x20010db8      jt 109	jf 115
(109) ld       [28]
(110) jeq      #0x0             jt 111	jf 115
(111) ld       [32]
(112) jeq      #0x0             jt 113	jf 115
(113) ld       [36]
(114) jeq      #0x7             jt 131	jf 115
(115) ld       [8]
(116) jeq      #0x20010db8      jt 117	jf 123
(117) ld       [12]
(118) jeq      #0x0             jt 119	jf 123
(119) ld       [16]
(120) jeq      #0x0             jt 121	jf 123
(121) ld       [20]
(122) jeq      #0x8             jt 131	jf 123
(123) ld       [24]
(124) jeq      #0x20010db8      jt 125	jf 132
(125) ld       [28]
(126) jeq      #0x0             jt 127	jf 132
(127) ld       [32]
(128) jeq      #0x0             jt 129	jf 132
(129) ld       [36]
(130) jeq      #0x8             jt 131	jf 132
(131) ret      #262144
(132) ret      #0
