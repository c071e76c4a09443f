(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 32
(002) ldb      [20]
(003) jeq      #0x84            jt 4	jf 12
(004) ldh      [54]
(005) jge      #0x1770          jt 6	jf 8
(006) ldh      [54]
(007) jgt      #0x177a          jt 8	jf 82
(008) ldh      [56]
(009) jge      #0x1770          jt 10	jf 12
(010) ldh      [56]
(011) jgt      #0x177a          jt 12	jf 82
(012) ldb      [20]
(013) jeq      #0x6             jt 14	jf 22
(014) ldh      [54]
(015) jge      #0x1770          jt 16	jf 18
(016) ldh      [54]
(017) jgt      #0x177a          jt 18	jf 82
(018) ldh      [56]
(019) jge      #0x1770          jt 20	jf 22
(020) ldh      [56]
(021) jgt      #0x177a          jt 22	jf 82
(022) ldb      [20]
(023) jeq      #0x11            jt 24	jf 32
(024) ldh      [54]
(025) jge      #0x1770          jt 26	jf 28
(026) ldh      [54]
(027) jgt      #0x177a          jt 28	jf 82
(028) ldh      [56]
(029) jge      #0x1770          jt 30	jf 32
(030) ldh      [56]
(031) jgt      #0x177a          jt 32	jf 82
(032) ldh      [12]
(033) jeq      #0x800           jt 34	jf 83
(034) ldb      [23]
(035) jeq      #0x84            jt 36	jf 50
(036) ldh      [20]
(037) jset     #0x1fff          jt 50	jf 38
(038) ldxb     4*([14]&0xf)
(039) ldh      [x + 14]
(040) jge      #0x1770          jt 41	jf 44
(041) ldxb     4*([14]&0xf)
(042) ldh      [x + 14]
(043) jgt      #0x177a          jt 44	jf 82
(044) ldxb     4*([14]&0xf)
(045) ldh      [x + 16]
(046) jge      #0x1770          jt 47	jf 50
(047) ldxb     4*([14]&0xf)
(048) ldh      [x + 16]
(049) jgt      #0x177a          jt 50	jf 82
(050) ldb      [23]
(051) jeq      #0x6             jt 52	jf 66
(052) ldh      [20]
(053) jset     #0x1fff          jt 66	jf 54
(054) ldxb     4*([14]&0xf)
(055) ldh      [x + 14]
(056) jge      #0x1770          jt 57	jf 60
(057) ldxb     4*([14]&0xf)
(058) ldh      [x + 14]
(059) jgt      #0x177a          jt 60	jf 82
(060) ldxb     4*([14]&0xf)
(061) ldh      [x + 16]
(062) jge      #0x1770          jt 63	jf 66
(063) ldxb     4*([14]&0xf)
(064) ldh      [x + 16]
(065) jgt      #0x177a          jt 66	jf 82
(066) ldb      [23]
(067) jeq      #0x11            jt 68	jf 83
(068) ldh      [20]
(069) jset     #0x1fff          jt 83	jf 70
(070) ldxb     4*([14]&0xf)
(071) ldh      [x + 14]
(072) jge      #0x1770          jt 73	jf 76
(073) ldxb     4*([14]&0xf)
(074) ldh      [x + 14]
(075) jgt      #0x177a          jt 76	jf 82
(076) ldxb     4*([14]&0xf)
(077) ldh      [x + 16]
(078) jge      #0x1770          jt 79	jf 83
(079) ldxb     4*([14]&0xf)
(080) ldh      [x + 16]
(081) jgt      #0x177a          jt 83	jf 82
(082) ret      #262144
(083) ret      #0
