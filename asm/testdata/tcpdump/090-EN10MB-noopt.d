(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 34
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 6
(004) ldb      [23]
(005) jeq      #0x11            jt 14	jf 6
(006) ldh      [12]
(007) jeq      #0x86dd          jt 8	jf 34
(008) ldb      [20]
(009) jeq      #0x11            jt 14	jf 10
(010) ldb      [20]
(011) jeq      #0x2c            jt 12	jf 34
(012) ldb      [54]
(013) jeq      #0x11            jt 14	jf 34
(014) ldh      [12]
(015) jeq      #0x800           jt 16	jf 34
(016) ld       #0x6
(017) st       M[0]
(018) ldx      M[0]
(019) ldh      [x + 14]
(020) st       M[1]
(021) ld       #0x3fff
(022) st       M[2]
(023) ldx      M[2]
(024) ld       M[1]
(025) and      x
(026) st       M[2]
(027) ld       #0x0
(028) st       M[3]
(029) ldx      M[3]
(030) ld       M[2]
(031) sub      x
(032) jeq      #0x0             jt 34	jf 33
(033) ret      #262144
(034) ret      #0
