(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 52
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 6
(004) ldb      [23]
(005) jeq      #0x6             jt 14	jf 6
(006) ldh      [12]
(007) jeq      #0x86dd          jt 8	jf 52
(008) ldb      [20]
(009) jeq      #0x6             jt 14	jf 10
(010) ldb      [20]
(011) jeq      #0x2c            jt 12	jf 52
(012) ldb      [54]
(013) jeq      #0x6             jt 14	jf 52
(014) ldh      [20]
(015) jset     #0x1fff          jt 52	jf 16
(016) ldh      [12]
(017) jeq      #0x800           jt 18	jf 52
(018) ldh      [12]
(019) jeq      #0x800           jt 20	jf 22
(020) ldb      [23]
(021) jeq      #0x6             jt 30	jf 22
(022) ldh      [12]
(023) jeq      #0x86dd          jt 24	jf 52
(024) ldb      [20]
(025) jeq      #0x6             jt 30	jf 26
(026) ldb      [20]
(027) jeq      #0x2c            jt 28	jf 52
(028) ldb      [54]
(029) jeq      #0x6             jt 30	jf 52
(030) ldh      [20]
(031) jset     #0x1fff          jt 52	jf 32
(032) ld       #0x0
(033) st       M[0]
(034) ldxb     4*([14]&0xf)
(035) ld       M[0]
(036) add      x
(037) tax      
(038) ldh      [x + 14]
(039) st       M[1]
(040) ld       #0x2
(041) st       M[2]
(042) ldxb     4*([14]&0xf)
(043) ld       M[2]
(044) add      x
(045) tax      
(046) ldh      [x + 14]
(047) st       M[3]
(048) ldx      M[3]
(049) ld       M[1]
(050) jgt      x                jt 51	jf 52
(051) ret      #262144
(052) ret      #0
