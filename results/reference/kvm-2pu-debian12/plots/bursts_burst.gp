# bursts_burst.gp - made by ptbench plot from the result folder around plots/;
# run gnuplot bursts_burst.gp in plots/ to redraw.
set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'
set output 'bursts_burst.svg'
set title 'CPU bursts of burst, 2 workers (traced repetition)' noenhanced
set xlabel 'burst length (log scale)' noenhanced
set ylabel 'bursts' noenhanced
set grid
set key outside right top noenhanced
set logscale x
set yrange [0:*]
set xrange [1:1e7]
set xtics ('1 us' 1, '10 us' 10, '100 us' 100, '1 ms' 1e3, '10 ms' 1e4, '100 ms' 1e5, '1 s' 1e6, '10 s' 1e7)
$process << EOD
1.12202 0 0
1.41254 0 0
1.77828 0 0
2.23872 0 0
2.81838 0 0
3.54813 0 0
4.46684 0 0
5.62341 0 0
7.07946 0 0
8.91251 0 0
11.2202 0 0
14.1254 0 0
17.7828 0 0
22.3872 0 0
28.1838 0 0
35.4813 0 0
44.6684 0 0
56.2341 0 0
70.7946 0 0
89.1251 0 0
112.202 0 0
141.254 0 0
177.828 0 0
223.872 2 0
281.838 1 0
354.813 0 1
446.684 1 0
562.341 0 0
707.946 1 1
891.251 0 0
1122.02 0 0
1412.54 1 1
1778.28 1 2
2238.72 195 0
2818.38 0 0
3548.13 0 0
4466.84 0 0
5623.41 0 0
7079.46 0 0
8912.51 0 0
11220.2 0 0
14125.4 0 0
17782.8 0 0
22387.2 0 0
28183.8 0 0
35481.3 0 0
44668.4 0 0
56234.1 0 0
70794.6 0 0
89125.1 0 0
112202 0 0
141254 0 0
177828 0 0
223872 0 0
281838 0 0
354813 0 0
446684 0 0
562341 0 0
707946 0 0
891251 0 0
1.12202e+06 0 0
1.41254e+06 0 0
1.77828e+06 0 0
2.23872e+06 0 0
2.81838e+06 0 0
3.54813e+06 0 0
4.46684e+06 0 0
5.62341e+06 0 0
7.07946e+06 0 0
8.91251e+06 0 0
EOD
$thread << EOD
1.12202 0 0
1.41254 0 0
1.77828 0 0
2.23872 0 0
2.81838 0 0
3.54813 0 0
4.46684 0 0
5.62341 0 0
7.07946 0 0
8.91251 0 0
11.2202 0 0
14.1254 0 0
17.7828 0 0
22.3872 0 0
28.1838 0 0
35.4813 0 0
44.6684 0 0
56.2341 1 0
70.7946 0 0
89.1251 0 0
112.202 0 0
141.254 1 0
177.828 0 0
223.872 2 0
281.838 1 0
354.813 2 1
446.684 2 0
562.341 1 0
707.946 2 0
891.251 0 1
1122.02 2 1
1412.54 0 4
1778.28 1 6
2238.72 187 0
2818.38 0 0
3548.13 0 0
4466.84 0 0
5623.41 0 0
7079.46 0 0
8912.51 0 0
11220.2 0 0
14125.4 0 0
17782.8 0 0
22387.2 0 0
28183.8 0 0
35481.3 0 0
44668.4 0 0
56234.1 0 0
70794.6 0 0
89125.1 0 0
112202 0 0
141254 0 0
177828 0 0
223872 0 0
281838 0 0
354813 0 0
446684 0 0
562341 0 0
707946 0 0
891251 0 0
1.12202e+06 0 0
1.41254e+06 0 0
1.77828e+06 0 0
2.23872e+06 0 0
2.81838e+06 0 0
3.54813e+06 0 0
4.46684e+06 0 0
5.62341e+06 0 0
7.07946e+06 0 0
8.91251e+06 0 0
EOD
$shared << EOD
EOD
$exec << EOD
EOD
plot $process using 1:2 with steps lw 3 lc rgb '#7b2cbf' title 'process, ended by blocking', \
     $process using 1:3 with steps lw 1.5 lc rgb '#c77dff' title 'process, preempted', \
     $thread using 1:2 with steps lw 3 lc rgb '#1b7f5f' title 'thread, ended by blocking', \
     $thread using 1:3 with steps lw 1.5 lc rgb '#52d1a0' title 'thread, preempted'
