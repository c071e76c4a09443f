(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 131
(002) ld       [22]
(003) jeq      #0x20010db8      jt 4	jf 10
(004) ld       [26]
(005) jeq      #0x0             jt 6	jf 10
(006) ld       [30]
(007) jeq      #0x0             jt 8	jf 10
(008) ld       [34]
(009) jeq      #0x1             jt 130	jf 10
(010) ld       [38]
(011) jeq      #0x20010db8      jt 12	jf 18
(012) ld       [42]
(013) jeq      #0x0             jt 14	jf 18
(014) ld       [46]
(015) jeq      #0x0             jt 16	jf 18
(016) ld       [50]
(017) jeq      #0x1             jt 130	jf 18
(018) ld       [22]
(019) jeq      #0x20010db8      jt 20	jf 26
(020) ld       [26]
(021) jeq      #0x0             jt 22	jf 26
(022) ld       [30]
(023) jeq      #0x0             jt 24	jf 26
(024) ld       [34]
(025) jeq      #0x2             jt 130	jf 26
(026) ld       [38]
(027) jeq      #0x20010db8      jt 28	jf 34
(028) ld       [42]
(029) jeq      #0x0             jt 30	jf 34
(030) ld       [46]
(031) jeq      #0x0             jt 32	jf 34
(032) ld       [50]
(033) jeq      #0x2             jt 130	jf 34
(034) ld       [22]
(035) jeq      #0x20010db8      jt 36	jf 42
(036) ld       [26]
(037) jeq      #0x0             jt 38	jf 42
(038) ld       [30]
(039) jeq      #0x0             jt 40	jf 42
(040) ld       [34]
(041) jeq      #0x3             jt 130	jf 42
(042) ld       [38]
(043) jeq      #0x20010db8      jt 44	jf 50
(044) ld       [42]
(045) jeq      #0x0             jt 46	jf 50
(046) ld       [46]
(047) jeq      #0x0             jt 48	jf 50
(048) ld       [50]
(049) jeq      #0x3             jt 130	jf 50
(050) ld       [22]
(051) jeq      #0x20010db8      jt 52	jf 58
(052) ld       [26]
(053) jeq      #0x0             jt 54	jf 58
(054) ld       [30]
(055) jeq      #0x0             jt 56	jf 58
(056) ld       [34]
(057) jeq      #0x4             jt 130	jf 58
(058) ld       [38]
(059) jeq      #0x20010db8      jt 60	jf 66
(060) ld       [42]
(061) jeq      #0x0             jt 62	jf 66
(062) ld       [46]
(063) jeq      #0x0             jt 64	jf 66
(064) ld       [50]
(065) jeq      #0x4             jt 130	jf 66
(066) ld       [22]
(067) jeq      #0x20010db8      jt 68	jf 74
(068) ld       [26]
(069) jeq      #0x0             jt 70	jf 74
(070) ld       [30]
(071) jeq      #0x0             jt 72	jf 74
(072) ld       [34]
(073) jeq      #0x5             jt 130	jf 74
(074) ld       [38]
(075) jeq      #0x20010db8      jt 76	jf 82
(076) ld       [42]
(077) jeq      #0x0             jt 78	jf 82
(078) ld       [46]
(079) jeq      #0x0             jt 80	jf 82
(080) ld       [50]
(081) jeq      #0x5             jt 130	jf 82
(082) ld       [22]
(083) jeq      #0x20010db8      jt 84	jf 90
(084) ld       [26]
(085) jeq      #0x0             jt 86	jf 90
(086) ld       [30]
(087) jeq      #0x0             jt 88	jf 90
(088) ld       [34]
(089) jeq      #0x6             jt 130	jf 90
(090) ld       [38]
(091) jeq      #0x20010db8      jt 92	jf 98
(092) ld       [42]
(093) jeq      #0x0             jt 94	jf 98
(094) ld       [46]
(095) jeq      #0x0             jt 96	jf 98
(096) ld       [50]
(097) jeq      #0x6             jt 130	jf 98
(098) ld       [22]
(099) jeq      #0x20010db8      jt 100	jf 106
(100) ld       [26]
(101) jeq      #0x0             jt 102	jf 106
(102) ld       [30]
(103) jeq      #0x0             jt 104	jf 106
(104) ld       [34]
(105) jeq      #0x7             jt 130	jf 106
(106) ld       [38]
(107) jeq      #0x20010db8      jt 108	jf 114
(108) ld       [42]
(109) jeq      #0x0             jt 110	jf 114
(110) ld       [46]
(111) jeq      #0x0             jt 112	jf 114
(112) ld       [50]
(113) jeq      #0x7             jt 130	jf 114
(114) ld       [22]
(115) jeq      #0x20010db8      jt 116	jf 122
(116) ld       [26]
(117) jeq      #0x0             jt 118	jf 122
(118) ld       [30]
(119) jeq      #0x0             jt 120	jf 122
(120) ld       [34]
(121) jeq      #0x8             jt 130	jf 122
(122) ld       [38]
(123) jeq      #0x20010db8      jt 124	jf 131
(124) ld       [42]
(125) jeq      #0x0             jt 126	jf 131
(126) ld       [46]
(127) jeq      #0x0             jt 128	jf 131
(128) ld       [50]
(129) jeq      #0x8             jt 130	jf 131
(130) ret      #262144
(131) ret      #0
