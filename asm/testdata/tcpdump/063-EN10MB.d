(000) ld       #pktlen
(001) neg      
(002) jeq      #0xffffffc4      jt 3	jf 4
(003) ret      #262144
(004) ret      #0
