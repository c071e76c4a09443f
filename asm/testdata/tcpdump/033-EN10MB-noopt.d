(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 7
(002) ld       [30]
(003) jeq      #0x0             jt 6	jf 4
(004) ld       [30]
(005) jeq      #0xffffffff      jt 6	jf 7
(006) ret      #262144
(007) ret      #0
