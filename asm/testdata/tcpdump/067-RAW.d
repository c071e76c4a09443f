(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 10
(003) ld       [12]
(004) st       M[1]
(005) ld       [16]
(006) tax      
(007) ld       M[1]
(008) jeq      x                jt 9	jf 10
(009) ret      #262144
(010) ret      #0
