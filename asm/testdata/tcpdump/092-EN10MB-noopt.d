(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 26
(002) ldb      [20]
(003) jeq      #0x84            jt 4	jf 10
(004) ldh      [54]
(005) jeq      #0x1             jt 6	jf 7
(006) ja       1540
(007) ldh      [56]
(008) jeq      #0x1             jt 9	jf 10
(009) ja       1540
(010) ldb      [20]
(011) jeq      #0x6             jt 12	jf 18
(012) ldh      [54]
(013) jeq      #0x1             jt 14	jf 15
(014) ja       1540
(015) ldh      [56]
(016) jeq      #0x1             jt 17	jf 18
(017) ja       1540
(018) ldb      [20]
(019) jeq      #0x11            jt 20	jf 26
(020) ldh      [54]
(021) jeq      #0x1             jt 22	jf 23
(022) ja       1540
(023) ldh      [56]
(024) jeq      #0x1             jt 25	jf 26
(025) ja       1540
(026) ldh      [12]
(027) jeq      #0x800           jt 28	jf 64
(028) ldb      [23]
(029) jeq      #0x84            jt 30	jf 40
(030) ldh      [20]
(031) jset     #0x1fff          jt 40	jf 32
(032) ldxb     4*([14]&0xf)
(033) ldh      [x + 14]
(034) jeq      #0x1             jt 35	jf 36
(035) ja       1540
(036) ldxb     4*([14]&0xf)
(037) ldh      [x + 16]
(038) jeq      #0x1             jt 39	jf 40
(039) ja       1540
(040) ldb      [23]
(041) jeq      #0x6             jt 42	jf 52
(042) ldh      [20]
(043) jset     #0x1fff          jt 52	jf 44
(044) ldxb     4*([14]&0xf)
(045) ldh      [x + 14]
(046) jeq      #0x1             jt 47	jf 48
(047) ja       1540
(048) ldxb     4*([14]&0xf)
(049) ldh      [x + 16]
(050) jeq      #0x1             jt 51	jf 52
(051) ja       1540
(052) ldb      [23]
(053) jeq      #0x11            jt 54	jf 64
(054) ldh      [20]
(055) jset     #0x1fff          jt 64	jf 56
(056) ldxb     4*([14]&0xf)
(057) ldh      [x + 14]
(058) jeq      #0x1             jt 59	jf 60
(059) ja       1540
(060) ldxb     4*([14]&0xf)
(061) ldh      [x + 16]
(062) jeq      #0x1             jt 63	jf 64
(063) ja       1540
(064) ldh      [12]
(065) jeq      #0x86dd          jt 66	jf 90
(066) ldb      [20]
(067) jeq      #0x84            jt 68	jf 74
(068) ldh      [54]
(069) jeq      #0x2             jt 70	jf 71
(070) ja       1540
(071) ldh      [56]
(072) jeq      #0x2             jt 73	jf 74
(073) ja       1540
(074) ldb      [20]
(075) jeq      #0x6             jt 76	jf 82
(076) ldh      [54]
(077) jeq      #0x2             jt 78	jf 79
(078) ja       1540
(079) ldh      [56]
(080) jeq      #0x2             jt 81	jf 82
(081) ja       1540
(082) ldb      [20]
(083) jeq      #0x11            jt 84	jf 90
(084) ldh      [54]
(085) jeq      #0x2             jt 86	jf 87
(086) ja       1540
(087) ldh      [56]
(088) jeq      #0x2             jt 89	jf 90
(089) ja       1540
(090) ldh      [12]
(091) jeq      #0x800           jt 92	jf 128
(092) ldb      [23]
(093) jeq      #0x84            jt 94	jf 104
(094) ldh      [20]
(095) jset     #0x1fff          jt 104	jf 96
(096) ldxb     4*([14]&0xf)
(097) ldh      [x + 14]
(098) jeq      #0x2             jt 99	jf 100
(099) ja       1540
(100) ldxb     4*([14]&0xf)
(101) ldh      [x + 16]
(102) jeq      #0x2             jt 103	jf 104
(103) ja       1540
(104) ldb      [23]
(105) jeq      #0x6             jt 106	jf 116
(106) ldh      [20]
(107) jset     #0x1fff          jt 116	jf 108
(108) ldxb     4*([14]&0xf)
(109) ldh      [x + 14]
(110) jeq      #0x2             jt 111	jf 112
(111) ja       1540
(112) ldxb     4*([14]&0xf)
(113) ldh      [x + 16]
(114) jeq      #0x2             jt 115	jf 116
(115) ja       1540
(116) ldb      [23]
(117) jeq      #0x11            jt 118	jf 128
(118) ldh      [20]
(119) jset     #0x1fff          jt 128	jf 120
(120) ldxb     4*([14]&0xf)
(121) ldh      [x + 14]
(122) jeq      #0x2             jt 123	jf 124
(123) ja       1540
(124) ldxb     4*([14]&0xf)
(125) ldh      [x + 16]
(126) jeq      #0x2             jt 127	jf 128
(127) ja       1540
(128) ldh      [12]
(129) jeq      #0x86dd          jt 130	jf 154
(130) ldb      [20]
(131) jeq      #0x84            jt 132	jf 138
(132) ldh      [54]
(133) jeq      #0x3             jt 134	jf 135
(134) ja       1540
(135) ldh      [56]
(136) jeq      #0x3             jt 137	jf 138
(137) ja       1540
(138) ldb      [20]
(139) jeq      #0x6             jt 140	jf 146
(140) ldh      [54]
(141) jeq      #0x3             jt 142	jf 143
(142) ja       1540
(143) ldh      [56]
(144) jeq      #0x3             jt 145	jf 146
(145) ja       1540
(146) ldb      [20]
(147) jeq      #0x11            jt 148	jf 154
(148) ldh      [54]
(149) jeq      #0x3             jt 150	jf 151
(150) ja       1540
(151) ldh      [56]
(152) jeq      #0x3             jt 153	jf 154
(153) ja       1540
(154) ldh      [12]
(155) jeq      #0x800           jt 156	jf 192
(156) ldb      [23]
(157) jeq      #0x84            jt 158	jf 168
(158) ldh      [20]
(159) jset     #0x1fff          jt 168	jf 160
(160) ldxb     4*([14]&0xf)
(161) ldh      [x + 14]
(162) jeq      #0x3             jt 163	jf 164
(163) ja       1540
(164) ldxb     4*([14]&0xf)
(165) ldh      [x + 16]
(166) jeq      #0x3             jt 167	jf 168
(167) ja       1540
(168) ldb      [23]
(169) jeq      #0x6             jt 170	jf 180
(170) ldh      [20]
(171) jset     #0x1fff          jt 180	jf 172
(172) ldxb     4*([14]&0xf)
(173) ldh      [x + 14]
(174) jeq      #0x3             jt 175	jf 176
(175) ja       1540
(176) ldxb     4*([14]&0xf)
(177) ldh      [x + 16]
(178) jeq      #0x3             jt 179	jf 180
(179) ja       1540
(180) ldb      [23]
(181) jeq      #0x11            jt 182	jf 192
(182) ldh      [20]
(183) jset     #0x1fff          jt 192	jf 184
(184) ldxb     4*([14]&0xf)
(185) ldh      [x + 14]
(186) jeq      #0x3             jt 187	jf 188
(187) ja       1540
(188) ldxb     4*([14]&0xf)
(189) ldh      [x + 16]
(190) jeq      #0x3             jt 191	jf 192
(191) ja       1540
(192) ldh      [12]
(193) jeq      #0x86dd          jt 194	jf 218
(194) ldb      [20]
(195) jeq      #0x84            jt 196	jf 202
(196) ldh      [54]
(197) jeq      #0x4             jt 198	jf 199
(198) ja       1540
(199) ldh      [56]
(200) jeq      #0x4             jt 201	jf 202
(201) ja       1540
(202) ldb      [20]
(203) jeq      #0x6             jt 204	jf 210
(204) ldh      [54]
(205) jeq      #0x4             jt 206	jf 207
(206) ja       1540
(207) ldh      [56]
(208) jeq      #0x4             jt 209	jf 210
(209) ja       1540
(210) ldb      [20]
(211) jeq      #0x11            jt 212	jf 218
(212) ldh      [54]
(213) jeq      #0x4             jt 214	jf 215
(214) ja       1540
(215) ldh      [56]
(216) jeq      #0x4             jt 217	jf 218
(217) ja       1540
(218) ldh      [12]
(219) jeq      #0x800           jt 220	jf 256
(220) ldb      [23]
(221) jeq      #0x84            jt 222	jf 232
(222) ldh      [20]
(223) jset     #0x1fff          jt 232	jf 224
(224) ldxb     4*([14]&0xf)
(225) ldh      [x + 14]
(226) jeq      #0x4             jt 227	jf 228
(227) ja       1540
(228) ldxb     4*([14]&0xf)
(229) ldh      [x + 16]
(230) jeq      #0x4             jt 231	jf 232
(231) ja       1540
(232) ldb      [23]
(233) jeq      #0x6             jt 234	jf 244
(234) ldh      [20]
(235) jset     #0x1fff          jt 244	jf 236
(236) ldxb     4*([14]&0xf)
(237) ldh      [x + 14]
(238) jeq      #0x4             jt 239	jf 240
(239) ja       1540
(240) ldxb     4*([14]&0xf)
(241) ldh      [x + 16]
(242) jeq      #0x4             jt 243	jf 244
(243) ja       1540
(244) ldb      [23]
(245) jeq      #0x11            jt 246	jf 256
(246) ldh      [20]
(247) jset     #0x1fff          jt 256	jf 248
(248) ldxb     4*([14]&0xf)
(249) ldh      [x + 14]
(250) jeq      #0x4             jt 251	jf 252
(251) ja       1540
(252) ldxb     4*([14]&0xf)
(253) ldh      [x + 16]
(254) jeq      #0x4             jt 255	jf 256
(255) ja       1540
(256) ldh      [12]
(257) jeq      #0x86dd          jt 258	jf 282
(258) ldb      [20]
(259) jeq      #0x84            jt 260	jf 266
(260) ldh      [54]
(261) jeq      #0x5             jt 262	jf 263
(262) ja       1540
(263) ldh      [56]
(264) jeq      #0x5             jt 265	jf 266
(265) ja       1540
(266) ldb      [20]
(267) jeq      #0x6             jt 268	jf 274
(268) ldh      [54]
(269) jeq      #0x5             jt 270	jf 271
(270) ja       1540
(271) ldh      [56]
(272) jeq      #0x5             jt 273	jf 274
(273) ja       1540
(274) ldb      [20]
(275) jeq      #0x11            jt 276	jf 282
(276) ldh      [54]
(277) jeq      #0x5             jt 278	jf 279
(278) ja       1540
(279) ldh      [56]
(280) jeq      #0x5             jt 281	jf 282
(281) ja       1540
(282) ldh      [12]
(283) jeq      #0x800           jt 284	jf 320
(284) ldb      [23]
(285) jeq      #0x84            jt 286	jf 296
(286) ldh      [20]
(287) jset     #0x1fff          jt 296	jf 288
(288) ldxb     4*([14]&0xf)
(289) ldh      [x + 14]
(290) jeq      #0x5             jt 291	jf 292
(291) ja       1540
(292) ldxb     4*([14]&0xf)
(293) ldh      [x + 16]
(294) jeq      #0x5             jt 295	jf 296
(295) ja       1540
(296) ldb      [23]
(297) jeq      #0x6             jt 298	jf 308
(298) ldh      [20]
(299) jset     #0x1fff          jt 308	jf 300
(300) ldxb     4*([14]&0xf)
(301) ldh      [x + 14]
(302) jeq      #0x5             jt 303	jf 304
(303) ja       1540
(304) ldxb     4*([14]&0xf)
(305) ldh      [x + 16]
(306) jeq      #0x5             jt 307	jf 308
(307) ja       1540
(308) ldb      [23]
(309) jeq      #0x11            jt 310	jf 320
(310) ldh      [20]
(311) jset     #0x1fff          jt 320	jf 312
(312) ldxb     4*([14]&0xf)
(313) ldh      [x + 14]
(314) jeq      #0x5             jt 315	jf 316
(315) ja       1540
(316) ldxb     4*([14]&0xf)
(317) ldh      [x + 16]
(318) jeq      #0x5             jt 319	jf 320
(319) ja       1540
(320) ldh      [12]
(321) jeq      #0x86dd          jt 322	jf 346
(322) ldb      [20]
(323) jeq      #0x84            jt 324	jf 330
(324) ldh      [54]
(325) jeq      #0x6             jt 326	jf 327
(326) ja       1540
(327) ldh      [56]
(328) jeq      #0x6             jt 329	jf 330
(329) ja       1540
(330) ldb      [20]
(331) jeq      #0x6             jt 332	jf 338
(332) ldh      [54]
(333) jeq      #0x6             jt 334	jf 335
(334) ja       1540
(335) ldh      [56]
(336) jeq      #0x6             jt 337	jf 338
(337) ja       1540
(338) ldb      [20]
(339) jeq      #0x11            jt 340	jf 346
(340) ldh      [54]
(341) jeq      #0x6             jt 342	jf 343
(342) ja       1540
(343) ldh      [56]
(344) jeq      #0x6             jt 345	jf 346
(345) ja       1540
(346) ldh      [12]
(347) jeq      #0x800           jt 348	jf 384
(348) ldb      [23]
(349) jeq      #0x84            jt 350	jf 360
(350) ldh      [20]
(351) jset     #0x1fff          jt 360	jf 352
(352) ldxb     4*([14]&0xf)
(353) ldh      [x + 14]
(354) jeq      #0x6             jt 355	jf 356
(355) ja       1540
(356) ldxb     4*([14]&0xf)
(357) ldh      [x + 16]
(358) jeq      #0x6             jt 359	jf 360
(359) ja       1540
(360) ldb      [23]
(361) jeq      #0x6             jt 362	jf 372
(362) ldh      [20]
(363) jset     #0x1fff          jt 372	jf 364
(364) ldxb     4*([14]&0xf)
(365) ldh      [x + 14]
(366) jeq      #0x6             jt 367	jf 368
(367) ja       1540
(368) ldxb     4*([14]&0xf)
(369) ldh      [x + 16]
(370) jeq      #0x6             jt 371	jf 372
(371) ja       1540
(372) ldb      [23]
(373) jeq      #0x11            jt 374	jf 384
(374) ldh      [20]
(375) jset     #0x1fff          jt 384	jf 376
(376) ldxb     4*([14]&0xf)
(377) ldh      [x + 14]
(378) jeq      #0x6             jt 379	jf 380
(379) ja       1540
(380) ldxb     4*([14]&0xf)
(381) ldh      [x + 16]
(382) jeq      #0x6             jt 383	jf 384
(383) ja       1540
(384) ldh      [12]
(385) jeq      #0x86dd          jt 386	jf 410
(386) ldb      [20]
(387) jeq      #0x84            jt 388	jf 394
(388) ldh      [54]
(389) jeq      #0x7             jt 390	jf 391
(390) ja       1540
(391) ldh      [56]
(392) jeq      #0x7             jt 393	jf 394
(393) ja       1540
(394) ldb      [20]
(395) jeq      #0x6             jt 396	jf 402
(396) ldh      [54]
(397) jeq      #0x7             jt 398	jf 399
(398) ja       1540
(399) ldh      [56]
(400) jeq      #0x7             jt 401	jf 402
(401) ja       1540
(402) ldb      [20]
(403) jeq      #0x11            jt 404	jf 410
(404) ldh      [54]
(405) jeq      #0x7             jt 406	jf 407
(406) ja       1540
(407) ldh      [56]
(408) jeq      #0x7             jt 409	jf 410
(409) ja       1540
(410) ldh      [12]
(411) jeq      #0x800           jt 412	jf 448
(412) ldb      [23]
(413) jeq      #0x84            jt 414	jf 424
(414) ldh      [20]
(415) jset     #0x1fff          jt 424	jf 416
(416) ldxb     4*([14]&0xf)
(417) ldh      [x + 14]
(418) jeq      #0x7             jt 419	jf 420
(419) ja       1540
(420) ldxb     4*([14]&0xf)
(421) ldh      [x + 16]
(422) jeq      #0x7             jt 423	jf 424
(423) ja       1540
(424) ldb      [23]
(425) jeq      #0x6             jt 426	jf 436
(426) ldh      [20]
(427) jset     #0x1fff          jt 436	jf 428
(428) ldxb     4*([14]&0xf)
(429) ldh      [x + 14]
(430) jeq      #0x7             jt 431	jf 432
(431) ja       1540
(432) ldxb     4*([14]&0xf)
(433) ldh      [x + 16]
(434) jeq      #0x7             jt 435	jf 436
(435) ja       1540
(436) ldb      [23]
(437) jeq      #0x11            jt 438	jf 448
(438) ldh      [20]
(439) jset     #0x1fff          jt 448	jf 440
(440) ldxb     4*([14]&0xf)
(441) ldh      [x + 14]
(442) jeq      #0x7             jt 443	jf 444
(443) ja       1540
(444) ldxb     4*([14]&0xf)
(445) ldh      [x + 16]
(446) jeq      #0x7             jt 447	jf 448
(447) ja       1540
(448) ldh      [12]
(449) jeq      #0x86dd          jt 450	jf 474
(450) ldb      [20]
(451) jeq      #0x84            jt 452	jf 458
(452) ldh      [54]
(453) jeq      #0x8             jt 454	jf 455
(454) ja       1540
(455) ldh      [56]
(456) jeq      #0x8             jt 457	jf 458
(457) ja       1540
(458) ldb      [20]
(459) jeq      #0x6             jt 460	jf 466
(460) ldh      [54]
(461) jeq      #0x8             jt 462	jf 463
(462) ja       1540
(463) ldh      [56]
(464) jeq      #0x8             jt 465	jf 466
(465) ja       1540
(466) ldb      [20]
(467) jeq      #0x11            jt 468	jf 474
(468) ldh      [54]
(469) jeq      #0x8             jt 470	jf 471
(470) ja       1540
(471) ldh      [56]
(472) jeq      #0x8             jt 473	jf 474
(473) ja       1540
(474) ldh      [12]
(475) jeq      #0x800           jt 476	jf 512
(476) ldb      [23]
(477) jeq      #0x84            jt 478	jf 488
(478) ldh      [20]
(479) jset     #0x1fff          jt 488	jf 480
(480) ldxb     4*([14]&0xf)
(481) ldh      [x + 14]
(482) jeq      #0x8             jt 483	jf 484
(483) ja       1540
(484) ldxb     4*([14]&0xf)
(485) ldh      [x + 16]
(486) jeq      #0x8             jt 487	jf 488
(487) ja       1540
(488) ldb      [23]
(489) jeq      #0x6             jt 490	jf 500
(490) ldh      [20]
(491) jset     #0x1fff          jt 500	jf 492
(492) ldxb     4*([14]&0xf)
(493) ldh      [x + 14]
(494) jeq      #0x8             jt 495	jf 496
(495) ja       1540
(496) ldxb     4*([14]&0xf)
(497) ldh      [x + 16]
(498) jeq      #0x8             jt 499	jf 500
(499) ja       1540
(500) ldb      [23]
(501) jeq      #0x11            jt 502	jf 512
(502) ldh      [20]
(503) jset     #0x1fff          jt 512	jf 504
(504) ldxb     4*([14]&0xf)
(505) ldh      [x + 14]
(506) jeq      #0x8             jt 507	jf 508
(507) ja       1540
(508) ldxb     4*([14]&0xf)
(509) ldh      [x + 16]
(510) jeq      #0x8             jt 511	jf 512
(511) ja       1540
(512) ldh      [12]
(513) jeq      #0x86dd          jt 514	jf 538
(514) ldb      [20]
(515) jeq      #0x84            jt 516	jf 522
(516) ldh      [54]
(517) jeq      #0x9             jt 518	jf 519
(518) ja       1540
(519) ldh      [56]
(520) jeq      #0x9             jt 521	jf 522
(521) ja       1540
(522) ldb      [20]
(523) jeq      #0x6             jt 524	jf 530
(524) ldh      [54]
(525) jeq      #0x9             jt 526	jf 527
(526) ja       1540
(527) ldh      [56]
(528) jeq      #0x9             jt 529	jf 530
(529) ja       1540
(530) ldb      [20]
(531) jeq      #0x11            jt 532	jf 538
(532) ldh      [54]
(533) jeq      #0x9             jt 534	jf 535
(534) ja       1540
(535) ldh      [56]
(536) jeq      #0x9             jt 537	jf 538
(537) ja       1540
(538) ldh      [12]
(539) jeq      #0x800           jt 540	jf 576
(540) ldb      [23]
(541) jeq      #0x84            jt 542	jf 552
(542) ldh      [20]
(543) jset     #0x1fff          jt 552	jf 544
(544) ldxb     4*([14]&0xf)
(545) ldh      [x + 14]
(546) jeq      #0x9             jt 547	jf 548
(547) ja       1540
(548) ldxb     4*([14]&0xf)
(549) ldh      [x + 16]
(550) jeq      #0x9             jt 551	jf 552
(551) ja       1540
(552) ldb      [23]
(553) jeq      #0x6             jt 554	jf 564
(554) ldh      [20]
(555) jset     #0x1fff          jt 564	jf 556
(556) ldxb     4*([14]&0xf)
(557) ldh      [x + 14]
(558) jeq      #0x9             jt 559	jf 560
(559) ja       1540
(560) ldxb     4*([14]&0xf)
(561) ldh      [x + 16]
(562) jeq      #0x9             jt 563	jf 564
(563) ja       1540
(564) ldb      [23]
(565) jeq      #0x11            jt 566	jf 576
(566) ldh      [20]
(567) jset     #0x1fff          jt 576	jf 568
(568) ldxb     4*([14]&0xf)
(569) ldh      [x + 14]
(570) jeq      #0x9             jt 571	jf 572
(571) ja       1540
(572) ldxb     4*([14]&0xf)
(573) ldh      [x + 16]
(574) jeq      #0x9             jt 575	jf 576
(575) ja       1540
(576) ldh      [12]
(577) jeq      #0x86dd          jt 578	jf 602
(578) ldb      [20]
(579) jeq      #0x84            jt 580	jf 586
(580) ldh      [54]
(581) jeq      #0xa             jt 582	jf 583
(582) ja       1540
(583) ldh      [56]
(584) jeq      #0xa             jt 585	jf 586
(585) ja       1540
(586) ldb      [20]
(587) jeq      #0x6             jt 588	jf 594
(588) ldh      [54]
(589) jeq      #0xa             jt 590	jf 591
(590) ja       1540
(591) ldh      [56]
(592) jeq      #0xa             jt 593	jf 594
(593) ja       1540
(594) ldb      [20]
(595) jeq      #0x11            jt 596	jf 602
(596) ldh      [54]
(597) jeq      #0xa             jt 598	jf 599
(598) ja       1540
(599) ldh      [56]
(600) jeq      #0xa             jt 601	jf 602
(601) ja       1540
(602) ldh      [12]
(603) jeq      #0x800           jt 604	jf 640
(604) ldb      [23]
(605) jeq      #0x84            jt 606	jf 616
(606) ldh      [20]
(607) jset     #0x1fff          jt 616	jf 608
(608) ldxb     4*([14]&0xf)
(609) ldh      [x + 14]
(610) jeq      #0xa             jt 611	jf 612
(611) ja       1540
(612) ldxb     4*([14]&0xf)
(613) ldh      [x + 16]
(614) jeq      #0xa             jt 615	jf 616
(615) ja       1540
(616) ldb      [23]
(617) jeq      #0x6             jt 618	jf 628
(618) ldh      [20]
(619) jset     #0x1fff          jt 628	jf 620
(620) ldxb     4*([14]&0xf)
(621) ldh      [x + 14]
(622) jeq      #0xa             jt 623	jf 624
(623) ja       1540
(624) ldxb     4*([14]&0xf)
(625) ldh      [x + 16]
(626) jeq      #0xa             jt 627	jf 628
(627) ja       1540
(628) ldb      [23]
(629) jeq      #0x11            jt 630	jf 640
(630) ldh      [20]
(631) jset     #0x1fff          jt 640	jf 632
(632) ldxb     4*([14]&0xf)
(633) ldh      [x + 14]
(634) jeq      #0xa             jt 635	jf 636
(635) ja       1540
(636) ldxb     4*([14]&0xf)
(637) ldh      [x + 16]
(638) jeq      #0xa             jt 639	jf 640
(639) ja       1540
(640) ldh      [12]
(641) jeq      #0x86dd          jt 642	jf 666
(642) ldb      [20]
(643) jeq      #0x84            jt 644	jf 650
(644) ldh      [54]
(645) jeq      #0xb             jt 646	jf 647
(646) ja       1540
(647) ldh      [56]
(648) jeq      #0xb             jt 649	jf 650
(649) ja       1540
(650) ldb      [20]
(651) jeq      #0x6             jt 652	jf 658
(652) ldh      [54]
(653) jeq      #0xb             jt 654	jf 655
(654) ja       1540
(655) ldh      [56]
(656) jeq      #0xb             jt 657	jf 658
(657) ja       1540
(658) ldb      [20]
(659) jeq      #0x11            jt 660	jf 666
(660) ldh      [54]
(661) jeq      #0xb             jt 662	jf 663
(662) ja       1540
(663) ldh      [56]
(664) jeq      #0xb             jt 665	jf 666
(665) ja       1540
(666) ldh      [12]
(667) jeq      #0x800           jt 668	jf 704
(668) ldb      [23]
(669) jeq      #0x84            jt 670	jf 680
(670) ldh      [20]
(671) jset     #0x1fff          jt 680	jf 672
(672) ldxb     4*([14]&0xf)
(673) ldh      [x + 14]
(674) jeq      #0xb             jt 675	jf 676
(675) ja       1540
(676) ldxb     4*([14]&0xf)
(677) ldh      [x + 16]
(678) jeq      #0xb             jt 679	jf 680
(679) ja       1540
(680) ldb      [23]
(681) jeq      #0x6             jt 682	jf 692
(682) ldh      [20]
(683) jset     #0x1fff          jt 692	jf 684
(684) ldxb     4*([14]&0xf)
(685) ldh      [x + 14]
(686) jeq      #0xb             jt 687	jf 688
(687) ja       1540
(688) ldxb     4*([14]&0xf)
(689) ldh      [x + 16]
(690) jeq      #0xb             jt 691	jf 692
(691) ja       1540
(692) ldb      [23]
(693) jeq      #0x11            jt 694	jf 704
(694) ldh      [20]
(695) jset     #0x1fff          jt 704	jf 696
(696) ldxb     4*([14]&0xf)
(697) ldh      [x + 14]
(698) jeq      #0xb             jt 699	jf 700
(699) ja       1540
(700) ldxb     4*([14]&0xf)
(701) ldh      [x + 16]
(702) jeq      #0xb             jt 703	jf 704
(703) ja       1540
(704) ldh      [12]
(705) jeq      #0x86dd          jt 706	jf 730
(706) ldb      [20]
(707) jeq      #0x84            jt 708	jf 714
(708) ldh      [54]
(709) jeq      #0xc             jt 710	jf 711
(710) ja       1540
(711) ldh      [56]
(712) jeq      #0xc             jt 713	jf 714
(713) ja       1540
(714) ldb      [20]
(715) jeq      #0x6             jt 716	jf 722
(716) ldh      [54]
(717) jeq      #0xc             jt 718	jf 719
(718) ja       1540
(719) ldh      [56]
(720) jeq      #0xc             jt 721	jf 722
(721) ja       1540
(722) ldb      [20]
(723) jeq      #0x11            jt 724	jf 730
(724) ldh      [54]
(725) jeq      #0xc             jt 726	jf 727
(726) ja       1540
(727) ldh      [56]
(728) jeq      #0xc             jt 729	jf 730
(729) ja       1540
(730) ldh      [12]
(731) jeq      #0x800           jt 732	jf 768
(732) ldb      [23]
(733) jeq      #0x84            jt 734	jf 744
(734) ldh      [20]
(735) jset     #0x1fff          jt 744	jf 736
(736) ldxb     4*([14]&0xf)
(737) ldh      [x + 14]
(738) jeq      #0xc             jt 739	jf 740
(739) ja       1540
(740) ldxb     4*([14]&0xf)
(741) ldh      [x + 16]
(742) jeq      #0xc             jt 743	jf 744
(743) ja       1540
(744) ldb      [23]
(745) jeq      #0x6             jt 746	jf 756
(746) ldh      [20]
(747) jset     #0x1fff          jt 756	jf 748
(748) ldxb     4*([14]&0xf)
(749) ldh      [x + 14]
(750) jeq      #0xc             jt 751	jf 752
(751) ja       1540
(752) ldxb     4*([14]&0xf)
(753) ldh      [x + 16]
(754) jeq      #0xc             jt 755	jf 756
(755) ja       1540
(756) ldb      [23]
(757) jeq      #0x11            jt 758	jf 768
(758) ldh      [20]
(759) jset     #0x1fff          jt 768	jf 760
(760) ldxb     4*([14]&0xf)
(761) ldh      [x + 14]
(762) jeq      #0xc             jt 763	jf 764
(763) ja       1540
(764) ldxb     4*([14]&0xf)
(765) ldh      [x + 16]
(766) jeq      #0xc             jt 767	jf 768
(767) ja       1540
(768) ldh      [12]
(769) jeq      #0x86dd          jt 770	jf 794
(770) ldb      [20]
(771) jeq      #0x84            jt 772	jf 778
(772) ldh      [54]
(773) jeq      #0xd             jt 774	jf 775
(774) ja       1540
(775) ldh      [56]
(776) jeq      #0xd             jt 777	jf 778
(777) ja       1540
(778) ldb      [20]
(779) jeq      #0x6             jt 780	jf 786
(780) ldh      [54]
(781) jeq      #0xd             jt 782	jf 783
(782) ja       1540
(783) ldh      [56]
(784) jeq      #0xd             jt 785	jf 786
(785) ja       1540
(786) ldb      [20]
(787) jeq      #0x11            jt 788	jf 794
(788) ldh      [54]
(789) jeq      #0xd             jt 790	jf 791
(790) ja       1540
(791) ldh      [56]
(792) jeq      #0xd             jt 793	jf 794
(793) ja       1540
(794) ldh      [12]
(795) jeq      #0x800           jt 796	jf 832
(796) ldb      [23]
(797) jeq      #0x84            jt 798	jf 808
(798) ldh      [20]
(799) jset     #0x1fff          jt 808	jf 800
(800) ldxb     4*([14]&0xf)
(801) ldh      [x + 14]
(802) jeq      #0xd             jt 803	jf 804
(803) ja       1540
(804) ldxb     4*([14]&0xf)
(805) ldh      [x + 16]
(806) jeq      #0xd             jt 807	jf 808
(807) ja       1540
(808) ldb      [23]
(809) jeq      #0x6             jt 810	jf 820
(810) ldh      [20]
(811) jset     #0x1fff          jt 820	jf 812
(812) ldxb     4*([14]&0xf)
(813) ldh      [x + 14]
(814) jeq      #0xd             jt 815	jf 816
(815) ja       1540
(816) ldxb     4*([14]&0xf)
(817) ldh      [x + 16]
(818) jeq      #0xd             jt 819	jf 820
(819) ja       1540
(820) ldb      [23]
(821) jeq      #0x11            jt 822	jf 832
(822) ldh      [20]
(823) jset     #0x1fff          jt 832	jf 824
(824) ldxb     4*([14]&0xf)
(825) ldh      [x + 14]
(826) jeq      #0xd             jt 827	jf 828
(827) ja       1540
(828) ldxb     4*([14]&0xf)
(829) ldh      [x + 16]
(830) jeq      #0xd             jt 831	jf 832
(831) ja       1540
(832) ldh      [12]
(833) jeq      #0x86dd          jt 834	jf 858
(834) ldb      [20]
(835) jeq      #0x84            jt 836	jf 842
(836) ldh      [54]
(837) jeq      #0xe             jt 838	jf 839
(838) ja       1540
(839) ldh      [56]
(840) jeq      #0xe             jt 841	jf 842
(841) ja       1540
(842) ldb      [20]
(843) jeq      #0x6             jt 844	jf 850
(844) ldh      [54]
(845) jeq      #0xe             jt 846	jf 847
(846) ja       1540
(847) ldh      [56]
(848) jeq      #0xe             jt 849	jf 850
(849) ja       1540
(850) ldb      [20]
(851) jeq      #0x11            jt 852	jf 858
(852) ldh      [54]
(853) jeq      #0xe             jt 854	jf 855
(854) ja       1540
(855) ldh      [56]
(856) jeq      #0xe             jt 857	jf 858
(857) ja       1540
(858) ldh      [12]
(859) jeq      #0x800           jt 860	jf 896
(860) ldb      [23]
(861) jeq      #0x84            jt 862	jf 872
(862) ldh      [20]
(863) jset     #0x1fff          jt 872	jf 864
(864) ldxb     4*([14]&0xf)
(865) ldh      [x + 14]
(866) jeq      #0xe             jt 867	jf 868
(867) ja       1540
(868) ldxb     4*([14]&0xf)
(869) ldh      [x + 16]
(870) jeq      #0xe             jt 871	jf 872
(871) ja       1540
(872) ldb      [23]
(873) jeq      #0x6             jt 874	jf 884
(874) ldh      [20]
(875) jset     #0x1fff          jt 884	jf 876
(876) ldxb     4*([14]&0xf)
(877) ldh      [x + 14]
(878) jeq      #0xe             jt 879	jf 880
(879) ja       1540
(880) ldxb     4*([14]&0xf)
(881) ldh      [x + 16]
(882) jeq      #0xe             jt 883	jf 884
(883) ja       1540
(884) ldb      [23]
(885) jeq      #0x11            jt 886	jf 896
(886) ldh      [20]
(887) jset     #0x1fff          jt 896	jf 888
(888) ldxb     4*([14]&0xf)
(889) ldh      [x + 14]
(890) jeq      #0xe             jt 891	jf 892
(891) ja       1540
(892) ldxb     4*([14]&0xf)
(893) ldh      [x + 16]
(894) jeq      #0xe             jt 895	jf 896
(895) ja       1540
(896) ldh      [12]
(897) jeq      #0x86dd          jt 898	jf 922
(898) ldb      [20]
(899) jeq      #0x84            jt 900	jf 906
(900) ldh      [54]
(901) jeq      #0xf             jt 902	jf 903
(902) ja       1540
(903) ldh      [56]
(904) jeq      #0xf             jt 905	jf 906
(905) ja       1540
(906) ldb      [20]
(907) jeq      #0x6             jt 908	jf 914
(908) ldh      [54]
(909) jeq      #0xf             jt 910	jf 911
(910) ja       1540
(911) ldh      [56]
(912) jeq      #0xf             jt 913	jf 914
(913) ja       1540
(914) ldb      [20]
(915) jeq      #0x11            jt 916	jf 922
(916) ldh      [54]
(917) jeq      #0xf             jt 918	jf 919
(918) ja       1540
(919) ldh      [56]
(920) jeq      #0xf             jt 921	jf 922
(921) ja       1540
(922) ldh      [12]
(923) jeq      #0x800           jt 924	jf 960
(924) ldb      [23]
(925) jeq      #0x84            jt 926	jf 936
(926) ldh      [20]
(927) jset     #0x1fff          jt 936	jf 928
(928) ldxb     4*([14]&0xf)
(929) ldh      [x + 14]
(930) jeq      #0xf             jt 931	jf 932
(931) ja       1540
(932) ldxb     4*([14]&0xf)
(933) ldh      [x + 16]
(934) jeq      #0xf             jt 935	jf 936
(935) ja       1540
(936) ldb      [23]
(937) jeq      #0x6             jt 938	jf 948
(938) ldh      [20]
(939) jset     #0x1fff          jt 948	jf 940
(940) ldxb     4*([14]&0xf)
(941) ldh      [x + 14]
(942) jeq      #0xf             jt 943	jf 944
(943) ja       1540
(944) ldxb     4*([14]&0xf)
(945) ldh      [x + 16]
(946) jeq      #0xf             jt 947	jf 948
(947) ja       1540
(948) ldb      [23]
(949) jeq      #0x11            jt 950	jf 960
(950) ldh      [20]
(951) jset     #0x1fff          jt 960	jf 952
(952) ldxb     4*([14]&0xf)
(953) ldh      [x + 14]
(954) jeq      #0xf             jt 955	jf 956
(955) ja       1540
(956) ldxb     4*([14]&0xf)
(957) ldh      [x + 16]
(958) jeq      #0xf             jt 959	jf 960
(959) ja       1540
(960) ldh      [12]
(961) jeq      #0x86dd          jt 962	jf 986
(962) ldb      [20]
(963) jeq      #0x84            jt 964	jf 970
(964) ldh      [54]
(965) jeq      #0x10            jt 966	jf 967
(966) ja       1540
(967) ldh      [56]
(968) jeq      #0x10            jt 969	jf 970
(969) ja       1540
(970) ldb      [20]
(971) jeq      #0x6             jt 972	jf 978
(972) ldh      [54]
(973) jeq      #0x10            jt 974	jf 975
(974) ja       1540
(975) ldh      [56]
(976) jeq      #0x10            jt 977	jf 978
(977) ja       1540
(978) ldb      [20]
(979) jeq      #0x11            jt 980	jf 986
(980) ldh      [54]
(981) jeq      #0x10            jt 982	jf 983
(982) ja       1540
(983) ldh      [56]
(984) jeq      #0x10            jt 985	jf 986
(985) ja       1540
(986) ldh      [12]
(987) jeq      #0x800           jt 988	jf 1024
(988) ldb      [23]
(989) jeq      #0x84            jt 990	jf 1000
(990) ldh      [20]
(991) jset     #0x1fff          jt 1000	jf 992
(992) ldxb     4*([14]&0xf)
(993) ldh      [x + 14]
(994) jeq      #0x10            jt 995	jf 996
(995) ja       1540
(996) ldxb     4*([14]&0xf)
(997) ldh      [x + 16]
(998) jeq      #0x10            jt 999	jf 1000
(999) ja       1540
(1000) ldb      [23]
(1001) jeq      #0x6             jt 1002	jf 1012
(1002) ldh      [20]
(1003) jset     #0x1fff          jt 1012	jf 1004
(1004) ldxb     4*([14]&0xf)
(1005) ldh      [x + 14]
(1006) jeq      #0x10            jt 1007	jf 1008
(1007) ja       1540
(1008) ldxb     4*([14]&0xf)
(1009) ldh      [x + 16]
(1010) jeq      #0x10            jt 1011	jf 1012
(1011) ja       1540
(1012) ldb      [23]
(1013) jeq      #0x11            jt 1014	jf 1024
(1014) ldh      [20]
(1015) jset     #0x1fff          jt 1024	jf 1016
(1016) ldxb     4*([14]&0xf)
(1017) ldh      [x + 14]
(1018) jeq      #0x10            jt 1019	jf 1020
(1019) ja       1540
(1020) ldxb     4*([14]&0xf)
(1021) ldh      [x + 16]
(1022) jeq      #0x10            jt 1023	jf 1024
(1023) ja       1540
(1024) ldh      [12]
(1025) jeq      #0x86dd          jt 1026	jf 1050
(1026) ldb      [20]
(1027) jeq      #0x84            jt 1028	jf 1034
(1028) ldh      [54]
(1029) jeq      #0x11            jt 1030	jf 1031
(1030) ja       1540
(1031) ldh      [56]
(1032) jeq      #0x11            jt 1033	jf 1034
(1033) ja       1540
(1034) ldb      [20]
(1035) jeq      #0x6             jt 1036	jf 1042
(1036) ldh      [54]
(1037) jeq      #0x11            jt 1038	jf 1039
(1038) ja       1540
(1039) ldh      [56]
(1040) jeq      #0x11            jt 1041	jf 1042
(1041) ja       1540
(1042) ldb      [20]
(1043) jeq      #0x11            jt 1044	jf 1050
(1044) ldh      [54]
(1045) jeq      #0x11            jt 1046	jf 1047
(1046) ja       1540
(1047) ldh      [56]
(1048) jeq      #0x11            jt 1049	jf 1050
(1049) ja       1540
(1050) ldh      [12]
(1051) jeq      #0x800           jt 1052	jf 1088
(1052) ldb      [23]
(1053) jeq      #0x84            jt 1054	jf 1064
(1054) ldh      [20]
(1055) jset     #0x1fff          jt 1064	jf 1056
(1056) ldxb     4*([14]&0xf)
(1057) ldh      [x + 14]
(1058) jeq      #0x11            jt 1059	jf 1060
(1059) ja       1540
(1060) ldxb     4*([14]&0xf)
(1061) ldh      [x + 16]
(1062) jeq      #0x11            jt 1063	jf 1064
(1063) ja       1540
(1064) ldb      [23]
(1065) jeq      #0x6             jt 1066	jf 1076
(1066) ldh      [20]
(1067) jset     #0x1fff          jt 1076	jf 1068
(1068) ldxb     4*([14]&0xf)
(1069) ldh      [x + 14]
(1070) jeq      #0x11            jt 1071	jf 1072
(1071) ja       1540
(1072) ldxb     4*([14]&0xf)
(1073) ldh      [x + 16]
(1074) jeq      #0x11            jt 1075	jf 1076
(1075) ja       1540
(1076) ldb      [23]
(1077) jeq      #0x11            jt 1078	jf 1088
(1078) ldh      [20]
(1079) jset     #0x1fff          jt 1088	jf 1080
(1080) ldxb     4*([14]&0xf)
(1081) ldh      [x + 14]
(1082) jeq      #0x11            jt 1083	jf 1084
(1083) ja       1540
(1084) ldxb     4*([14]&0xf)
(1085) ldh      [x + 16]
(1086) jeq      #0x11            jt 1087	jf 1088
(1087) ja       1540
(1088) ldh      [12]
(1089) jeq      #0x86dd          jt 1090	jf 1114
(1090) ldb      [20]
(1091) jeq      #0x84            jt 1092	jf 1098
(1092) ldh      [54]
(1093) jeq      #0x12            jt 1094	jf 1095
(1094) ja       1540
(1095) ldh      [56]
(1096) jeq      #0x12            jt 1097	jf 1098
(1097) ja       1540
(1098) ldb      [20]
(1099) jeq      #0x6             jt 1100	jf 1106
(1100) ldh      [54]
(1101) jeq      #0x12            jt 1102	jf 1103
(1102) ja       1540
(1103) ldh      [56]
(1104) jeq      #0x12            jt 1105	jf 1106
(1105) ja       1540
(1106) ldb      [20]
(1107) jeq      #0x11            jt 1108	jf 1114
(1108) ldh      [54]
(1109) jeq      #0x12            jt 1110	jf 1111
(1110) ja       1540
(1111) ldh      [56]
(1112) jeq      #0x12            jt 1113	jf 1114
(1113) ja       1540
(1114) ldh      [12]
(1115) jeq      #0x800           jt 1116	jf 1152
(1116) ldb      [23]
(1117) jeq      #0x84            jt 1118	jf 1128
(1118) ldh      [20]
(1119) jset     #0x1fff          jt 1128	jf 1120
(1120) ldxb     4*([14]&0xf)
(1121) ldh      [x + 14]
(1122) jeq      #0x12            jt 1123	jf 1124
(1123) ja       1540
(1124) ldxb     4*([14]&0xf)
(1125) ldh      [x + 16]
(1126) jeq      #0x12            jt 1127	jf 1128
(1127) ja       1540
(1128) ldb      [23]
(1129) jeq      #0x6             jt 1130	jf 1140
(1130) ldh      [20]
(1131) jset     #0x1fff          jt 1140	jf 1132
(1132) ldxb     4*([14]&0xf)
(1133) ldh      [x + 14]
(1134) jeq      #0x12            jt 1135	jf 1136
(1135) ja       1540
(1136) ldxb     4*([14]&0xf)
(1137) ldh      [x + 16]
(1138) jeq      #0x12            jt 1139	jf 1140
(1139) ja       1540
(1140) ldb      [23]
(1141) jeq      #0x11            jt 1142	jf 1152
(1142) ldh      [20]
(1143) jset     #0x1fff          jt 1152	jf 1144
(1144) ldxb     4*([14]&0xf)
(1145) ldh      [x + 14]
(1146) jeq      #0x12            jt 1147	jf 1148
(1147) ja       1540
(1148) ldxb     4*([14]&0xf)
(1149) ldh      [x + 16]
(1150) jeq      #0x12            jt 1151	jf 1152
(1151) ja       1540
(1152) ldh      [12]
(1153) jeq      #0x86dd          jt 1154	jf 1178
(1154) ldb      [20]
(1155) jeq      #0x84            jt 1156	jf 1162
(1156) ldh      [54]
(1157) jeq      #0x13            jt 1158	jf 1159
(1158) ja       1540
(1159) ldh      [56]
(1160) jeq      #0x13            jt 1161	jf 1162
(1161) ja       1540
(1162) ldb      [20]
(1163) jeq      #0x6             jt 1164	jf 1170
(1164) ldh      [54]
(1165) jeq      #0x13            jt 1166	jf 1167
(1166) ja       1540
(1167) ldh      [56]
(1168) jeq      #0x13            jt 1169	jf 1170
(1169) ja       1540
(1170) ldb      [20]
(1171) jeq      #0x11            jt 1172	jf 1178
(1172) ldh      [54]
(1173) jeq      #0x13            jt 1174	jf 1175
(1174) ja       1540
(1175) ldh      [56]
(1176) jeq      #0x13            jt 1177	jf 1178
(1177) ja       1540
(1178) ldh      [12]
(1179) jeq      #0x800           jt 1180	jf 1216
(1180) ldb      [23]
(1181) jeq      #0x84            jt 1182	jf 1192
(1182) ldh      [20]
(1183) jset     #0x1fff          jt 1192	jf 1184
(1184) ldxb     4*([14]&0xf)
(1185) ldh      [x + 14]
(1186) jeq      #0x13            jt 1187	jf 1188
(1187) ja       1540
(1188) ldxb     4*([14]&0xf)
(1189) ldh      [x + 16]
(1190) jeq      #0x13            jt 1191	jf 1192
(1191) ja       1540
(1192) ldb      [23]
(1193) jeq      #0x6             jt 1194	jf 1204
(1194) ldh      [20]
(1195) jset     #0x1fff          jt 1204	jf 1196
(1196) ldxb     4*([14]&0xf)
(1197) ldh      [x + 14]
(1198) jeq      #0x13            jt 1199	jf 1200
(1199) ja       1540
(1200) ldxb     4*([14]&0xf)
(1201) ldh      [x + 16]
(1202) jeq      #0x13            jt 1203	jf 1204
(1203) ja       1540
(1204) ldb      [23]
(1205) jeq      #0x11            jt 1206	jf 1216
(1206) ldh      [20]
(1207) jset     #0x1fff          jt 1216	jf 1208
(1208) ldxb     4*([14]&0xf)
(1209) ldh      [x + 14]
(1210) jeq      #0x13            jt 1211	jf 1212
(1211) ja       1540
(1212) ldxb     4*([14]&0xf)
(1213) ldh      [x + 16]
(1214) jeq      #0x13            jt 1215	jf 1216
(1215) ja       1540
(1216) ldh      [12]
(1217) jeq      #0x86dd          jt 1218	jf 1242
(1218) ldb      [20]
(1219) jeq      #0x84            jt 1220	jf 1226
(1220) ldh      [54]
(1221) jeq      #0x14            jt 1222	jf 1223
(1222) ja       1540
(1223) ldh      [56]
(1224) jeq      #0x14            jt 1225	jf 1226
(1225) ja       1540
(1226) ldb      [20]
(1227) jeq      #0x6             jt 1228	jf 1234
(1228) ldh      [54]
(1229) jeq      #0x14            jt 1230	jf 1231
(1230) ja       1540
(1231) ldh      [56]
(1232) jeq      #0x14            jt 1233	jf 1234
(1233) ja       1540
(1234) ldb      [20]
(1235) jeq      #0x11            jt 1236	jf 1242
(1236) ldh      [54]
(1237) jeq      #0x14            jt 1238	jf 1239
(1238) ja       1540
(1239) ldh      [56]
(1240) jeq      #0x14            jt 1241	jf 1242
(1241) ja       1540
(1242) ldh      [12]
(1243) jeq      #0x800           jt 1244	jf 1280
(1244) ldb      [23]
(1245) jeq      #0x84            jt 1246	jf 1256
(1246) ldh      [20]
(1247) jset     #0x1fff          jt 1256	jf 1248
(1248) ldxb     4*([14]&0xf)
(1249) ldh      [x + 14]
(1250) jeq      #0x14            jt 1251	jf 1252
(1251) ja       1540
(1252) ldxb     4*([14]&0xf)
(1253) ldh      [x + 16]
(1254) jeq      #0x14            jt 1255	jf 1256
(1255) ja       1540
(1256) ldb      [23]
(1257) jeq      #0x6             jt 1258	jf 1268
(1258) ldh      [20]
(1259) jset     #0x1fff          jt 1268	jf 1260
(1260) ldxb     4*([14]&0xf)
(1261) ldh      [x + 14]
(1262) jeq      #0x14            jt 1263	jf 1264
(1263) ja       1540
(1264) ldxb     4*([14]&0xf)
(1265) ldh      [x + 16]
(1266) jeq      #0x14            jt 1267	jf 1268
(1267) ja       1540
(1268) ldb      [23]
(1269) jeq      #0x11            jt 1270	jf 1280
(1270) ldh      [20]
(1271) jset     #0x1fff          jt 1280	jf 1272
(1272) ldxb     4*([14]&0xf)
(1273) ldh      [x + 14]
(1274) jeq      #0x14            jt 1275	jf 1276
(1275) ja       1540
(1276) ldxb     4*([14]&0xf)
(1277) ldh      [x + 16]
(1278) jeq      #0x14            jt 1279	jf 1280
(1279) ja       1540
(1280) ldh      [12]
(1281) jeq      #0x86dd          jt 1282	jf 1300
(1282) ldb      [20]
(1283) jeq      #0x84            jt 1284	jf 1288
(1284) ldh      [54]
(1285) jeq      #0x15            jt 1540	jf 1286
(1286) ldh      [56]
(1287) jeq      #0x15            jt 1540	jf 1288
(1288) ldb      [20]
(1289) jeq      #0x6             jt 1290	jf 1294
(1290) ldh      [54]
(1291) jeq      #0x15            jt 1540	jf 1292
(1292) ldh      [56]
(1293) jeq      #0x15            jt 1540	jf 1294
(1294) ldb      [20]
(1295) jeq      #0x11            jt 1296	jf 1300
(1296) ldh      [54]
(1297) jeq      #0x15            jt 1540	jf 1298
(1298) ldh      [56]
(1299) jeq      #0x15            jt 1540	jf 1300
(1300) ldh      [12]
(1301) jeq      #0x800           jt 1302	jf 1332
(1302) ldb      [23]
(1303) jeq      #0x84            jt 1304	jf 1312
(1304) ldh      [20]
(1305) jset     #0x1fff          jt 1312	jf 1306
(1306) ldxb     4*([14]&0xf)
(1307) ldh      [x + 14]
(1308) jeq      #0x15            jt 1540	jf 1309
(1309) ldxb     4*([14]&0xf)
(1310) ldh      [x + 16]
(1311) jeq      #0x15            jt 1540	jf 1312
(1312) ldb      [23]
(1313) jeq      #0x6             jt 1314	jf 1322
(1314) ldh      [20]
(1315) jset     #0x1fff          jt 1322	jf 1316
(1316) ldxb     4*([14]&0xf)
(1317) ldh      [x + 14]
(1318) jeq      #0x15            jt 1540	jf 1319
(1319) ldxb     4*([14]&0xf)
(1320) ldh      [x + 16]
(1321) jeq      #0x15            jt 1540	jf 1322
(1322) ldb      [23]
(1323) jeq      #0x11            jt 1324	jf 1332
(1324) ldh      [20]
(1325) jset     #0x1fff          jt 1332	jf 1326
(1326) ldxb     4*([14]&0xf)
(1327) ldh      [x + 14]
(1328) jeq      #0x15            jt 1540	jf 1329
(1329) ldxb     4*([14]&0xf)
(1330) ldh      [x + 16]
(1331) jeq      #0x15            jt 1540	jf 1332
(1332) ldh      [12]
(1333) jeq      #0x86dd          jt 1334	jf 1352
(1334) ldb      [20]
(1335) jeq      #0x84            jt 1336	jf 1340
(1336) ldh      [54]
(1337) jeq      #0x16            jt 1540	jf 1338
(1338) ldh      [56]
(1339) jeq      #0x16            jt 1540	jf 1340
(1340) ldb      [20]
(1341) jeq      #0x6             jt 1342	jf 1346
(1342) ldh      [54]
(1343) jeq      #0x16            jt 1540	jf 1344
(1344) ldh      [56]
(1345) jeq      #0x16            jt 1540	jf 1346
(1346) ldb      [20]
(1347) jeq      #0x11            jt 1348	jf 1352
(1348) ldh      [54]
(1349) jeq      #0x16            jt 1540	jf 1350
(1350) ldh      [56]
(1351) jeq      #0x16            jt 1540	jf 1352
(1352) ldh      [12]
(1353) jeq      #0x800           jt 1354	jf 1384
(1354) ldb      [23]
(1355) jeq      #0x84            jt 1356	jf 1364
(1356) ldh      [20]
(1357) jset     #0x1fff          jt 1364	jf 1358
(1358) ldxb     4*([14]&0xf)
(1359) ldh      [x + 14]
(1360) jeq      #0x16            jt 1540	jf 1361
(1361) ldxb     4*([14]&0xf)
(1362) ldh      [x + 16]
(1363) jeq      #0x16            jt 1540	jf 1364
(1364) ldb      [23]
(1365) jeq      #0x6             jt 1366	jf 1374
(1366) ldh      [20]
(1367) jset     #0x1fff          jt 1374	jf 1368
(1368) ldxb     4*([14]&0xf)
(1369) ldh      [x + 14]
(1370) jeq      #0x16            jt 1540	jf 1371
(1371) ldxb     4*([14]&0xf)
(1372) ldh      [x + 16]
(1373) jeq      #0x16            jt 1540	jf 1374
(1374) ldb      [23]
(1375) jeq      #0x11            jt 1376	jf 1384
(1376) ldh      [20]
(1377) jset     #0x1fff          jt 1384	jf 1378
(1378) ldxb     4*([14]&0xf)
(1379) ldh      [x + 14]
(1380) jeq      #0x16            jt 1540	jf 1381
(1381) ldxb     4*([14]&0xf)
(1382) ldh      [x + 16]
(1383) jeq      #0x16            jt 1540	jf 1384
(1384) ldh      [12]
(1385) jeq      #0x86dd          jt 1386	jf 1404
(1386) ldb      [20]
(1387) jeq      #0x84            jt 1388	jf 1392
(1388) ldh      [54]
(1389) jeq      #0x17            jt 1540	jf 1390
(1390) ldh      [56]
(1391) jeq      #0x17            jt 1540	jf 1392
(1392) ldb      [20]
(1393) jeq      #0x6             jt 1394	jf 1398
(1394) ldh      [54]
(1395) jeq      #0x17            jt 1540	jf 1396
(1396) ldh      [56]
(1397) jeq      #0x17            jt 1540	jf 1398
(1398) ldb      [20]
(1399) jeq      #0x11            jt 1400	jf 1404
(1400) ldh      [54]
(1401) jeq      #0x17            jt 1540	jf 1402
(1402) ldh      [56]
(1403) jeq      #0x17            jt 1540	jf 1404
(1404) ldh      [12]
(1405) jeq      #0x800           jt 1406	jf 1436
(1406) ldb      [23]
(1407) jeq      #0x84            jt 1408	jf 1416
(1408) ldh      [20]
(1409) jset     #0x1fff          jt 1416	jf 1410
(1410) ldxb     4*([14]&0xf)
(1411) ldh      [x + 14]
(1412) jeq      #0x17            jt 1540	jf 1413
(1413) ldxb     4*([14]&0xf)
(1414) ldh      [x + 16]
(1415) jeq      #0x17            jt 1540	jf 1416
(1416) ldb      [23]
(1417) jeq      #0x6             jt 1418	jf 1426
(1418) ldh      [20]
(1419) jset     #0x1fff          jt 1426	jf 1420
(1420) ldxb     4*([14]&0xf)
(1421) ldh      [x + 14]
(1422) jeq      #0x17            jt 1540	jf 1423
(1423) ldxb     4*([14]&0xf)
(1424) ldh      [x + 16]
(1425) jeq      #0x17            jt 1540	jf 1426
(1426) ldb      [23]
(1427) jeq      #0x11            jt 1428	jf 1436
(1428) ldh      [20]
(1429) jset     #0x1fff          jt 1436	jf 1430
(1430) ldxb     4*([14]&0xf)
(1431) ldh      [x + 14]
(1432) jeq      #0x17            jt 1540	jf 1433
(1433) ldxb     4*([14]&0xf)
(1434) ldh      [x + 16]
(1435) jeq      #0x17            jt 1540	jf 1436
(1436) ldh      [12]
(1437) jeq      #0x86dd          jt 1438	jf 1456
(1438) ldb      [20]
(1439) jeq      #0x84            jt 1440	jf 1444
(1440) ldh      [54]
(1441) jeq      #0x18            jt 1540	jf 1442
(1442) ldh      [56]
(1443) jeq      #0x18            jt 1540	jf 1444
(1444) ldb      [20]
(1445) jeq      #0x6             jt 1446	jf 1450
(1446) ldh      [54]
(1447) jeq      #0x18            jt 1540	jf 1448
(1448) ldh      [56]
(1449) jeq      #0x18            jt 1540	jf 1450
(1450) ldb      [20]
(1451) jeq      #0x11            jt 1452	jf 1456
(1452) ldh      [54]
(1453) jeq      #0x18            jt 1540	jf 1454
(1454) ldh      [56]
(1455) jeq      #0x18            jt 1540	jf 1456
(1456) ldh      [12]
(1457) jeq      #0x800           jt 1458	jf 1488
(1458) ldb      [23]
(1459) jeq      #0x84            jt 1460	jf 1468
(1460) ldh      [20]
(1461) jset     #0x1fff          jt 1468	jf 1462
(1462) ldxb     4*([14]&0xf)
(1463) ldh      [x + 14]
(1464) jeq      #0x18            jt 1540	jf 1465
(1465) ldxb     4*([14]&0xf)
(1466) ldh      [x + 16]
(1467) jeq      #0x18            jt 1540	jf 1468
(1468) ldb      [23]
(1469) jeq      #0x6             jt 1470	jf 1478
(1470) ldh      [20]
(1471) jset     #0x1fff          jt 1478	jf 1472
(1472) ldxb     4*([14]&0xf)
(1473) ldh      [x + 14]
(1474) jeq      #0x18            jt 1540	jf 1475
(1475) ldxb     4*([14]&0xf)
(1476) ldh      [x + 16]
(1477) jeq      #0x18            jt 1540	jf 1478
(1478) ldb      [23]
(1479) jeq      #0x11            jt 1480	jf 1488
(1480) ldh      [20]
(1481) jset     #0x1fff          jt 1488	jf 1482
(1482) ldxb     4*([14]&0xf)
(1483) ldh      [x + 14]
(1484) jeq      #0x18            jt 1540	jf 1485
(1485) ldxb     4*([14]&0xf)
(1486) ldh      [x + 16]
(1487) jeq      #0x18            jt 1540	jf 1488
(1488) ldh      [12]
(1489) jeq      #0x86dd          jt 1490	jf 1508
(1490) ldb      [20]
(1491) jeq      #0x84            jt 1492	jf 1496
(1492) ldh      [54]
(1493) jeq      #0x19            jt 1540	jf 1494
(1494) ldh      [56]
(1495) jeq      #0x19            jt 1540	jf 1496
(1496) ldb      [20]
(1497) jeq      #0x6             jt 1498	jf 1502
(1498) ldh      [54]
(1499) jeq      #0x19            jt 1540	jf 1500
(1500) ldh      [56]
(1501) jeq      #0x19            jt 1540	jf 1502
(1502) ldb      [20]
(1503) jeq      #0x11            jt 1504	jf 1508
(1504) ldh      [54]
(1505) jeq      #0x19            jt 1540	jf 1506
(1506) ldh      [56]
(1507) jeq      #0x19            jt 1540	jf 1508
(1508) ldh      [12]
(1509) jeq      #0x800           jt 1510	jf 1541
(1510) ldb      [23]
(1511) jeq      #0x84            jt 1512	jf 1520
(1512) ldh      [20]
(1513) jset     #0x1fff          jt 1520	jf 1514
(1514) ldxb     4*([14]&0xf)
(1515) ldh      [x + 14]
(1516) jeq      #0x19            jt 1540	jf 1517
(1517) ldxb     4*([14]&0xf)
(1518) ldh      [x + 16]
(1519) jeq      #0x19            jt 1540	jf 1520
(1520) ldb      [23]
(1521) jeq      #0x6             jt 1522	jf 1530
(1522) ldh      [20]
(1523) jset     #0x1fff          jt 1530	jf 1524
(1524) ldxb     4*([14]&0xf)
(1525) ldh      [x + 14]
(1526) jeq      #0x19            jt 1540	jf 1527
(1527) ldxb     4*([14]&0xf)
(1528) ldh      [x + 16]
(1529) jeq      #0x19            jt 1540	jf 1530
(1530) ldb      [23]
(1531) jeq      #0x11            jt 1532	jf 1541
(1532) ldh      [20]
(1533) jset     #0x1fff          jt 1541	jf 1534
(1534) ldxb     4*([14]&0xf)
(1535) ldh      [x + 14]
(1536) jeq      #0x19            jt 1540	jf 1537
(1537) ldxb     4*([14]&0xf)
(1538) ldh      [x + 16]
(1539) jeq      #0x19            jt 1540	jf 1541
(1540) ret      #262144
(1541) ret      #0
