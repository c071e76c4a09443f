(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 20
(003) ldh      [2]
(004) st       M[1]
(005) ldb      [0]
(006) and      #0xf
(007) lsh      #2
(008) tax      
(009) ld       M[1]
(010) sub      x
(011) st       M[5]
(012) ldxb     4*([0]&0xf)
(013) ldb      [x + 12]
(014) and      #0xf0
(015) rsh      #2
(016) tax      
(017) ld       M[5]
(018) jeq      x                jt 20	jf 19
(019) ret      #262144
(020) ret      #0
