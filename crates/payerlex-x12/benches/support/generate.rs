//! The 837P the read benchmarks use: two-line 3D claims, one subscriber each, in transaction
//! sets of 5,000 claims (the most the TR3 recommends), generated rather than committed.

use std::fmt::Write as _;

/// Claims per transaction set, as the TR3 recommends at most.
const PER_TRANSACTION: usize = 5_000;

/// Line pairs of the 3D scenarios: a base study and a 3D rendering code, with modifiers.
const PAIRS: [(&str, &str); 6] = [
    ("HC:74177", "HC:76377"),
    ("HC:71275", "HC:76377"),
    ("HC:70450", "HC:76376"),
    ("HC:72192:26", "HC:76377:26"),
    ("HC:70544", "HC:76377:XS"),
    ("HC:74177", "HC:76377"),
];

/// An 837P interchange of `claims` claims of two lines, one subscriber each.
pub fn generate(claims: usize) -> String {
    let mut out = String::with_capacity(claims * 420);
    out.push_str("ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260320*1200*^*00501*000000001*0*T*:~\n");
    out.push_str("GS*HC*S*R*20260320*1200*1*X*005010X222A1~\n");
    let sets = claims.div_ceil(PER_TRANSACTION);
    for set in 0..sets {
        let control = format!("{:04}", set + 1);
        let _ = writeln!(out, "ST*837*{control}*005010X222A1~\nBHT*0019*00*{control}*20260320*1200*CH~\nNM1*41*2*SUBMITTER*****46*S1~\nPER*IC*OFFICE*TE*5555550100~\nNM1*40*2*RECEIVER*****46*R1~");
        out.push_str("HL*1**20*1~\nPRV*BI*PXC*2085R0202X~\nNM1*85*2*IMAGING*****XX*1234567893~\nN3*1 MAIN~\nN4*TOWN*IL*62701~\nREF*EI*123456789~\n");
        let mut segments = 11;
        for k in 0..PER_TRANSACTION.min(claims - set * PER_TRANSACTION) {
            let i = set * PER_TRANSACTION + k;
            let (base, three_d) = PAIRS[i % PAIRS.len()];
            let day = 2 + i % 27;
            let hl = k + 2;
            let _ = write!(
                out,
                "HL*{hl}*1*22*0~\nSBR*P*18*******MB~\nNM1*IL*1*DOE*JANE****MI*P{i}~\nDMG*D8*19600101*F~\nNM1*PR*2*MEDICARE*****PI*00882~\n\
                 CLM*C{i}*150***11:B:1*Y*A*Y*Y~\nHI*ABK:S32401A*ABF:I712~\n\
                 LX*1~\nSV1*{base}*100*UN*1***1~\nDTP*472*D8*202603{day:02}~\n\
                 LX*2~\nSV1*{three_d}*50*UN*1***1:2~\nDTP*472*D8*202603{day:02}~\n"
            );
            segments += 13;
        }
        let _ = writeln!(out, "SE*{}*{control}~", segments + 1);
    }
    let _ = writeln!(out, "GE*{sets}*1~\nIEA*1*000000001~");
    out
}
