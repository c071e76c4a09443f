(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 37
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 6
(004) ldb      [23]
(005) jeq      #0x6             jt 14	jf 6
(006) ldh      [12]
(007) jeq      #0x86dd          jt 8	jf 37
(008) ldb      [20]
(009) jeq      #0x6             jt 14	jf 10
(010) ldb      [20]
(011) jeq      #0x2c            jt 12	jf 37
(012) ldb      [54]
(013) jeq      #0x6             jt 14	jf 37
(014) ldh      [20]
(015) jset     #0x1fff          jt 37	jf 16
(016) ld       #0xd
(017) st       M[0]
(018) ldxb     4*([14]&0xf)
(019) ld       M[0]
(020) add      x
(021) tax      
(022) ldb      [x + 14]
(023) st       M[1]
(024) ld       #0x4
(025) st       M[2]
(026) ldx      M[2]
(027) ld       M[1]
(028) and      x
(029) st       M[2]
(030) ld       #0x0
(031) st       M[3]
(032) ldx      M[3]
(033) ld       M[2]
(034) sub      x
(035) jeq      #0x0             jt 37	jf 36
(036) ret      #262144
(037) ret      #0
