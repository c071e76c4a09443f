(000) ldh      [14]
(001) jeq      #0x86dd          jt 2	jf 7
(002) ld       [24]
(003) jeq      #0x20010db8      jt 6	jf 4
(004) ld       [40]
(005) jeq      #0x20010db8      jt 6	jf 7
(006) ret      #262144
(007) ret      #0
