(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 24
(003) ldb      [9]
(004) ldxb     4*([0]&0xf)
(005) jeq      #0x6             jt 21	jf 6
(006) jeq      #0x3b            jt 21	jf 7
(007) add      #0
(008) jeq      #0x33            jt 9	jf 21
(009) txa      
(010) ldb      [x + 0]
(011) st       M[0]
(012) txa      
(013) add      #1
(014) tax      
(015) ldb      [x + 0]
(016) add      #2
(017) mul      #4
(018) tax      
(019) ld       M[0]
(020) ja       5
(021) add      #0
(022) jeq      #0x6             jt 23	jf 24
(023) ret      #262144
(024) ret      #0
