(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 34
(002) ldb      [20]
(003) jeq      #0x84            jt 6	jf 4
(004) jeq      #0x6             jt 6	jf 5
(005) jeq      #0x11            jt 6	jf 95
(006) ldh      [54]
(007) jeq      #0x1             jt 94	jf 8
(008) jeq      #0x2             jt 94	jf 9
(009) jeq      #0x3             jt 94	jf 10
(010) jeq      #0x4             jt 94	jf 11
(011) jeq      #0x5             jt 94	jf 12
(012) jeq      #0x6             jt 94	jf 13
(013) jeq      #0x7             jt 94	jf 14
(014) jeq      #0x8             jt 94	jf 15
(015) jeq      #0x9             jt 94	jf 16
(016) jeq      #0xa             jt 94	jf 17
(017) jeq      #0xb             jt 94	jf 18
(018) jeq      #0xc             jt 94	jf 19
(019) jeq      #0xd             jt 94	jf 20
(020) jeq      #0xe             jt 94	jf 21
(021) jeq      #0xf             jt 94	jf 22
(022) jeq      #0x10            jt 94	jf 23
(023) jeq      #0x11            jt 94	jf 24
(024) jeq      #0x12            jt 94	jf 25
(025) jeq      #0x13            jt 94	jf 26
(026) jeq      #0x14            jt 94	jf 27
(027) jeq      #0x15            jt 94	jf 28
(028) jeq      #0x16            jt 94	jf 29
(029) jeq      #0x17            jt 94	jf 30
(030) jeq      #0x18            jt 94	jf 31
(031) jeq      #0x19            jt 94	jf 32
(032) ldh      [56]
(033) jeq      #0x1             jt 94	jf 70
(034) jeq      #0x800           jt 35	jf 95
(035) ldb      [23]
(036) jeq      #0x84            jt 39	jf 37
(037) jeq      #0x6             jt 39	jf 38
(038) jeq      #0x11            jt 39	jf 95
(039) ldh      [20]
(040) jset     #0x1fff          jt 95	jf 41
(041) ldxb     4*([14]&0xf)
(042) ldh      [x + 14]
(043) jeq      #0x1             jt 94	jf 44
(044) jeq      #0x2             jt 94	jf 45
(045) jeq      #0x3             jt 94	jf 46
(046) jeq      #0x4             jt 94	jf 47
(047) jeq      #0x5             jt 94	jf 48
(048) jeq      #0x6             jt 94	jf 49
(049) jeq      #0x7             jt 94	jf 50
(050) jeq      #0x8             jt 94	jf 51
(051) jeq      #0x9             jt 94	jf 52
(052) jeq      #0xa             jt 94	jf 53
(053) jeq      #0xb             jt 94	jf 54
(054) jeq      #0xc             jt 94	jf 55
(055) jeq      #0xd             jt 94	jf 56
(056) jeq      #0xe             jt 94	jf 57
(057) jeq      #0xf             jt 94	jf 58
(058) jeq      #0x10            jt 94	jf 59
(059) jeq      #0x11            jt 94	jf 60
(060) jeq      #0x12            jt 94	jf 61
(061) jeq      #0x13            jt 94	jf 62
(062) jeq      #0x14            jt 94	jf 63
(063) jeq      #0x15            jt 94	jf 64
(064) jeq      #0x16            jt 94	jf 65
(065) jeq      #0x17            jt 94	jf 66
(066) jeq      #0x18            jt 94	jf 67
(067) jeq      #0x19            jt 94	jf 68
(068) ldh      [x + 16]
(069) jeq      #0x1             jt 94	jf 70
(070) jeq      #0x2             jt 94	jf 71
(071) jeq      #0x3             jt 94	jf 72
(072) jeq      #0x4             jt 94	jf 73
(073) jeq      #0x5             jt 94	jf 74
(074) jeq      #0x6             jt 94	jf 75
(075) jeq      #0x7             jt 94	jf 76
(076) jeq      #0x8             jt 94	jf 77
(077) jeq      #0x9             jt 94	jf 78
(078) jeq      #0xa             jt 94	jf 79
(079) jeq      #0xb             jt 94	jf 80
(080) jeq      #0xc             jt 94	jf 81
(081) jeq      #0xd             jt 94	jf 82
(082) jeq      #0xe             jt 94	jf 83
(083) jeq      #0xf             jt 94	jf 84
(084) jeq      #0x10            jt 94	jf 85
(085) jeq      #0x11            jt 94	jf 86
(086) jeq      #0x12            jt 94	jf 87
(087) jeq      #0x13            jt 94	jf 88
(088) jeq      #0x14            jt 94	jf 89
(089) jeq      #0x15            jt 94	jf 90
(090) jeq      #0x16            jt 94	jf 91
(091) jeq      #0x17            jt 94	jf 92
(092) jeq      #0x18            jt 94	jf 93
(093) jeq      #0x19            jt 94	jf 95
(094) ret      #262144
(095) ret      #0
