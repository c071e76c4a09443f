(000) ld       #0x0
(001) st       M[0]
(002) st       M[1]
(003) ldb      [vlanp]
(004) jeq      #0x1             jt 12	jf 5
(005) ld       #0x4
(006) st       M[0]
(007) st       M[1]
(008) ldh      [12]
(009) jeq      #0x8100          jt 12	jf 10
(010) jeq      #0x88a8          jt 12	jf 11
(011) jeq      #0x9100          jt 12	jf 38
(012) ldx      M[1]
(013) ldh      [x + 12]
(014) jeq      #0x800           jt 15	jf 38
(015) ldx      M[0]
(016) ldb      [x + 23]
(017) jeq      #0x11            jt 18	jf 38
(018) ldx      M[0]
(019) ldh      [x + 20]
(020) jset     #0x1fff          jt 38	jf 21
(021) ldx      M[0]
(022) ldb      [x + 14]
(023) and      #0xf
(024) lsh      #2
(025) add      x
(026) tax      
(027) ldh      [x + 14]
(028) jeq      #0x12b5          jt 37	jf 29
(029) ldx      M[0]
(030) ldb      [x + 14]
(031) and      #0xf
(032) lsh      #2
(033) add      x
(034) tax      
(035) ldh      [x + 16]
(036) jeq      #0x12b5          jt 37	jf 38
(037) ret      #262144
(038) ret      #0
