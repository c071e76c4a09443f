(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 6
(002) ldb      [15]
(003) xor      #0xff
(004) jeq      #0x0             jt 5	jf 6
(005) ret      #262144
(006) ret      #0
