(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 45
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 45
(004) ldb      [23]
(005) jeq      #0x1             jt 6	jf 45
(006) ldh      [20]
(007) jset     #0x1fff          jt 45	jf 8
(008) ld       #0x0
(009) st       M[0]
(010) ldxb     4*([14]&0xf)
(011) ld       M[0]
(012) add      x
(013) tax      
(014) ldb      [x + 14]
(015) st       M[1]
(016) ld       #0x8
(017) st       M[2]
(018) ldx      M[2]
(019) ld       M[1]
(020) sub      x
(021) jeq      #0x0             jt 45	jf 22
(022) ldh      [12]
(023) jeq      #0x800           jt 24	jf 45
(024) ldh      [12]
(025) jeq      #0x800           jt 26	jf 45
(026) ldb      [23]
(027) jeq      #0x1             jt 28	jf 45
(028) ldh      [20]
(029) jset     #0x1fff          jt 45	jf 30
(030) ld       #0x0
(031) st       M[2]
(032) ldxb     4*([14]&0xf)
(033) ld       M[2]
(034) add      x
(035) tax      
(036) ldb      [x + 14]
(037) st       M[3]
(038) ld       #0x0
(039) st       M[4]
(040) ldx      M[4]
(041) ld       M[3]
(042) sub      x
(043) jeq      #0x0             jt 45	jf 44
(044) ret      #262144
(045) ret      #0
