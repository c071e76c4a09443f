(000) ld       #pktlen
(001) mod      #3
(002) jeq      #0x0             jt 3	jf 4
(003) ret      #262144
(004) ret      #0
