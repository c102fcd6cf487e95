//! `cargo run -p ccguard-core --example compile_private_domains -- domains.json table.bin`:
//! compiles the vendored consumer-domain list (a JSON array of domains) into the compact
//! table the add-on ships and the core loads (`PrivateDomains::from_table`). build.sh
//! runs it; the table is data next to the .wasm, so the list can grow without code.

use ccguard_core::PrivateDomains;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = &args[..] else {
        eprintln!("usage: compile_private_domains <domains.json> <table.bin>");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(input).unwrap_or_else(|e| fail(&format!("{input}: {e}")));
    let domains: Vec<String> = serde_json::from_str(&text)
        .unwrap_or_else(|e| fail(&format!("{input} is not a JSON list of strings: {e}")));
    let set = PrivateDomains::from_lines(&domains.join("\n"), &ccguard_core::text::NATIVE);
    let table = set.to_table();
    assert_eq!(
        PrivateDomains::from_table(&table).as_ref(),
        Ok(&set),
        "the table must read back"
    );
    std::fs::write(output, &table).unwrap_or_else(|e| fail(&format!("{output}: {e}")));
    eprintln!(
        "{} domains ({} distinct fingerprints) -> {} bytes ({:.1} bits each)",
        domains.len(),
        set.len(),
        table.len(),
        table.len() as f64 * 8.0 / set.len().max(1) as f64
    );
}

fn fail(message: &str) -> ! {
    eprintln!("compile_private_domains: {message}");
    std::process::exit(1);
}
