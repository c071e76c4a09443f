(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 5
(002) ldb      [23]
(003) jeq      #0x2             jt 4	jf 5
(004) ret      #262144
(005) ret      #0
