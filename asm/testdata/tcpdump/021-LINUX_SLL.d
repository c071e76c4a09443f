(000) ldh      [14]
(001) jeq      #0x800           jt 2	jf 8
(002) ld       [28]
(003) and      #0xff000000
(004) jeq      #0xa000000       jt 16	jf 5
(005) ld       [32]
(006) and      #0xff000000
(007) jeq      #0xa000000       jt 16	jf 17
(008) jeq      #0x806           jt 10	jf 9
(009) jeq      #0x8035          jt 10	jf 17
(010) ld       [30]
(011) and      #0xff000000
(012) jeq      #0xa000000       jt 16	jf 13
(013) ld       [40]
(014) and      #0xff000000
(015) jeq      #0xa000000       jt 16	jf 17
(016) ret      #262144
(017) ret      #0
