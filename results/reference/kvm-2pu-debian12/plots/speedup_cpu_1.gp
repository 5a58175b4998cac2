# speedup_cpu_1.gp - made by ptbench plot from the result folder around plots/;
# run gnuplot speedup_cpu_1.gp in plots/ to redraw.
set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'
set output 'speedup_cpu_1.svg'
set title 'cpu (total=100000000, pin core): speedup over 1 worker' noenhanced
set xlabel 'workers' noenhanced
set ylabel 'speedup (throughput at n / at 1 worker)' noenhanced
set grid
set key outside right top noenhanced
set logscale x 2
set xrange [1:*]
set yrange [0:*]
$process << EOD
1 1 1 1
2 2.07953 2.01729 2.18222
EOD
$thread << EOD
1 1 1 1
2 2.07003 2.0105 2.13013
EOD
plot $process using 1:2:3:4 with yerrorlines lw 2 title 'process', \
     $thread using 1:2:3:4 with yerrorlines lw 2 title 'thread', \
     x with lines lw 1 lc rgb '#999999' title 'linear (ideal)'
