(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 7
(003) ldh      [2]
(004) add      #14
(005) jgt      #0x5dc           jt 7	jf 6
(006) ret      #262144
(007) ret      #0
