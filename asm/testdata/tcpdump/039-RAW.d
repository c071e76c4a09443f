(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 36
(003) ldb      [6]
(004) ldx      #0x28
(005) jeq      #0x6             jt 33	jf 6
(006) jeq      #0x3b            jt 33	jf 7
(007) jeq      #0x0             jt 11	jf 8
(008) jeq      #0x3c            jt 11	jf 9
(009) jeq      #0x2b            jt 11	jf 10
(010) jeq      #0x2c            jt 11	jf 20
(011) ldb      [x + 0]
(012) st       M[0]
(013) ldb      [x + 1]
(014) add      #1
(015) mul      #8
(016) add      x
(017) tax      
(018) ld       M[0]
(019) ja       5
(020) jeq      #0x33            jt 21	jf 33
(021) txa      
(022) ldb      [x + 0]
(023) st       M[0]
(024) txa      
(025) add      #1
(026) tax      
(027) ldb      [x + 0]
(028) add      #2
(029) mul      #4
(030) tax      
(031) ld       M[0]
(032) ja       5
(033) add      #0
(034) jeq      #0x6             jt 35	jf 36
(035) ret      #262144
(036) ret      #0
