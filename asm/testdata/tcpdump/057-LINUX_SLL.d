(000) ldh      [14]
(001) jeq      #0x800           jt 2	jf 6
(002) ldb      [16]
(003) rsh      #4
(004) jeq      #0x4             jt 5	jf 6
(005) ret      #262144
(006) ret      #0
