(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 43
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 6
(004) ldb      [23]
(005) jeq      #0x6             jt 14	jf 6
(006) ldh      [12]
(007) jeq      #0x86dd          jt 8	jf 43
(008) ldb      [20]
(009) jeq      #0x6             jt 14	jf 10
(010) ldb      [20]
(011) jeq      #0x2c            jt 12	jf 43
(012) ldb      [54]
(013) jeq      #0x6             jt 14	jf 43
(014) ldh      [20]
(015) jset     #0x1fff          jt 43	jf 16
(016) ld       #0xd
(017) st       M[0]
(018) ldxb     4*([14]&0xf)
(019) ld       M[0]
(020) add      x
(021) tax      
(022) ldb      [x + 14]
(023) st       M[1]
(024) ld       #0x2
(025) st       M[2]
(026) ld       #0x10
(027) st       M[3]
(028) ldx      M[3]
(029) ld       M[2]
(030) or       x
(031) st       M[3]
(032) ldx      M[3]
(033) ld       M[1]
(034) and      x
(035) st       M[3]
(036) ld       #0x2
(037) st       M[4]
(038) ldx      M[4]
(039) ld       M[3]
(040) sub      x
(041) jeq      #0x0             jt 42	jf 43
(042) ret      #262144
(043) ret      #0
