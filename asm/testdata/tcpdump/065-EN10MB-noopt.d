(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 65
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 65
(004) ldh      [12]
(005) jeq      #0x800           jt 6	jf 8
(006) ldb      [23]
(007) jeq      #0x6             jt 16	jf 8
(008) ldh      [12]
(009) jeq      #0x86dd          jt 10	jf 65
(010) ldb      [20]
(011) jeq      #0x6             jt 16	jf 12
(012) ldb      [20]
(013) jeq      #0x2c            jt 14	jf 65
(014) ldb      [54]
(015) jeq      #0x6             jt 16	jf 65
(016) ldh      [20]
(017) jset     #0x1fff          jt 65	jf 18
(018) ldh      [12]
(019) jeq      #0x800           jt 20	jf 22
(020) ldb      [23]
(021) jeq      #0x6             jt 30	jf 22
(022) ldh      [12]
(023) jeq      #0x86dd          jt 24	jf 65
(024) ldb      [20]
(025) jeq      #0x6             jt 30	jf 26
(026) ldb      [20]
(027) jeq      #0x2c            jt 28	jf 65
(028) ldb      [54]
(029) jeq      #0x6             jt 30	jf 65
(030) ldh      [20]
(031) jset     #0x1fff          jt 65	jf 32
(032) ld       #0xc
(033) st       M[0]
(034) ldxb     4*([14]&0xf)
(035) ld       M[0]
(036) add      x
(037) tax      
(038) ldb      [x + 14]
(039) st       M[1]
(040) ld       #0xf0
(041) st       M[2]
(042) ldx      M[2]
(043) ld       M[1]
(044) and      x
(045) st       M[2]
(046) ld       #0x2
(047) st       M[3]
(048) ldx      M[3]
(049) ld       M[2]
(050) rsh      x
(051) st       M[3]
(052) ldxb     4*([14]&0xf)
(053) ld       M[3]
(054) add      x
(055) tax      
(056) ld       [x + 14]
(057) st       M[4]
(058) ld       #0x47455420
(059) st       M[5]
(060) ldx      M[5]
(061) ld       M[4]
(062) sub      x
(063) jeq      #0x0             jt 64	jf 65
(064) ret      #262144
(065) ret      #0
