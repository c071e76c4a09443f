(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 6
(002) ldh      [16]
(003) add      #14
(004) jgt      #0x5dc           jt 6	jf 5
(005) ret      #262144
(006) ret      #0
