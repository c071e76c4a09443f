(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 7
(003) ldh      [2]
(004) div      #4
(005) jeq      #0xa             jt 6	jf 7
(006) ret      #262144
(007) ret      #0
