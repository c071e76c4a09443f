(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 7
(002) ldb      [23]
(003) jeq      #0x6             jt 7	jf 4
(004) jeq      #0x11            jt 7	jf 5
(005) jeq      #0x1             jt 7	jf 6
(006) ret      #262144
(007) ret      #0
