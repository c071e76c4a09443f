(000) ldh      [14]
(001) jeq      #0x800           jt 2	jf 4
(002) ld       [32]
(003) jeq      #0xac100005      jt 8	jf 9
(004) jeq      #0x806           jt 6	jf 5
(005) jeq      #0x8035          jt 6	jf 9
(006) ld       [40]
(007) jeq      #0xac100005      jt 8	jf 9
(008) ret      #262144
(009) ret      #0
