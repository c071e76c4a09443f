(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 4
(002) ld       [26]
(003) jeq      #0xc0a80101      jt 12	jf 4
(004) ldh      [12]
(005) jeq      #0x806           jt 6	jf 8
(006) ld       [28]
(007) jeq      #0xc0a80101      jt 12	jf 8
(008) ldh      [12]
(009) jeq      #0x8035          jt 10	jf 13
(010) ld       [28]
(011) jeq      #0xc0a80101      jt 12	jf 13
(012) ret      #262144
(013) ret      #0
