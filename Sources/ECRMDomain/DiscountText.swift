/// A tier discount in words: the per-mille of the price a member pays (950 = pays 95%), 1000 and
/// above = no discount. The one wording for every screen and command.

/// "9.5折" for 950, "8.8折" for 880, "88.5% of price" for 885 in English, "无折扣" / "no discount" for 1000.
/// "8折" means nothing to an English reader: 800 = pay 80% of the price.
public func discountText(_ perMille: Int, _ language: MessageLanguage) -> String {
    switch language {
    case .zh: discountLabel(perMille)
    case .en: perMille >= 1000 ? "no discount" : discountPercent(perMille) + " of price"
    }
}

/// "95%" for 950, "88.5%" for 885: the share of the price paid (the English wording's figure).
public func discountPercent(_ perMille: Int) -> String {
    "\(perMille / 10)\(perMille % 10 == 0 ? "" : ".\(perMille % 10)")%"
}

/// "9.5折" for 950, "8.88折" for 888, "无折扣" for 1000: the Chinese wording (also printed beside the
/// per-mille in the command line's bilingual tables).
public func discountLabel(_ perMille: Int) -> String {
    if perMille >= 1000 { return "无折扣" }
    var s = String(perMille / 100)
    let rest = perMille % 100
    if rest != 0 {
        s += "." + (rest % 10 == 0 ? String(rest / 10) : (rest < 10 ? "0\(rest)" : String(rest)))
    }
    return s + "折"
}

/// "9.5折" / "95%" (and "无折扣" / "no discount"): the compact wording for a row of several
/// discounts under a heading that says what the English figure is (the share of the price paid).
public func discountShort(_ perMille: Int, _ language: MessageLanguage) -> String {
    switch language {
    case .zh: discountLabel(perMille)
    case .en: perMille >= 1000 ? "no discount" : discountPercent(perMille)
    }
}
