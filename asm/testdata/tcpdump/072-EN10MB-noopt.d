(000) ldh      [12]
(001) jeq      #0x8100          jt 6	jf 2
(002) ldh      [12]
(003) jeq      #0x88a8          jt 6	jf 4
(004) ldh      [12]
(005) jeq      #0x9100          jt 6	jf 19
(006) ldh      [14]
(007) and      #0xfff
(008) jeq      #0x64            jt 9	jf 19
(009) ldh      [16]
(010) jeq      #0x8100          jt 15	jf 11
(011) ldh      [16]
(012) jeq      #0x88a8          jt 15	jf 13
(013) ldh      [16]
(014) jeq      #0x9100          jt 15	jf 19
(015) ldh      [18]
(016) and      #0xfff
(017) jeq      #0xc8            jt 18	jf 19
(018) ret      #262144
(019) ret      #0
