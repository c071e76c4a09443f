(000) ldh      [12]
(001) jeq      #0x8100          jt 4	jf 2
(002) jeq      #0x88a8          jt 4	jf 3
(003) jeq      #0x9100          jt 4	jf 16
(004) ldh      [16]
(005) jeq      #0x800           jt 6	jf 16
(006) ldb      [27]
(007) jeq      #0x11            jt 8	jf 16
(008) ldh      [24]
(009) jset     #0x1fff          jt 16	jf 10
(010) ldxb     4*([18]&0xf)
(011) ldh      [x + 18]
(012) jeq      #0x12b5          jt 15	jf 13
(013) ldh      [x + 20]
(014) jeq      #0x12b5          jt 15	jf 16
(015) ret      #262144
(016) ret      #0
