(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 19
(002) ldh      [16]
(003) st       M[1]
(004) ldb      [14]
(005) and      #0xf
(006) lsh      #2
(007) tax      
(008) ld       M[1]
(009) sub      x
(010) st       M[5]
(011) ldxb     4*([14]&0xf)
(012) ldb      [x + 26]
(013) and      #0xf0
(014) rsh      #2
(015) tax      
(016) ld       M[5]
(017) jeq      x                jt 19	jf 18
(018) ret      #262144
(019) ret      #0
