(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 6
(002) ldb      [14]
(003) lsh      #2
(004) jeq      #0x114           jt 5	jf 6
(005) ret      #262144
(006) ret      #0
