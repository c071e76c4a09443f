(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 16
(002) ldb      [20]
(003) jeq      #0x3a            jt 4	jf 16
(004) ld       #0x0
(005) st       M[0]
(006) ldx      M[0]
(007) ldb      [x + 54]
(008) st       M[1]
(009) ld       #0x80
(010) st       M[2]
(011) ldx      M[2]
(012) ld       M[1]
(013) sub      x
(014) jeq      #0x0             jt 15	jf 16
(015) ret      #262144
(016) ret      #0
