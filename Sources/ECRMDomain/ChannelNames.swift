/// What people call each channel, for the channels view and the command line (the raw value stays
/// the key scripts and files use).
extension Channel {
    public var chineseName: String {
        switch self {
        case .taobao: "淘宝"
        case .tmall: "天猫"
        case .jd: "京东"
        case .pdd: "拼多多"
        case .douyin: "抖店"
        case .youzan: "有赞"
        case .wechat: "微信小程序"
        case .shopify: "Shopify"
        case .tiktok: "TikTok Shop"
        case .offline: "门店"
        case .other: "其他"
        }
    }

    public var englishName: String {
        switch self {
        case .taobao: "Taobao"
        case .tmall: "Tmall"
        case .jd: "JD"
        case .pdd: "Pinduoduo"
        case .douyin: "Douyin"
        case .youzan: "Youzan"
        case .wechat: "WeChat"
        case .shopify: "Shopify"
        case .tiktok: "TikTok Shop"
        case .offline: "Offline"
        case .other: "Other"
        }
    }

    public func name(_ language: MessageLanguage) -> String { language == .zh ? chineseName : englishName }
}
