import ECRMDomain
import Foundation

/// Word lists for the demo shop: common surnames and given names, nick patterns and regions.
enum DemoNames {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)
    static let compoundSurnames = ["欧阳", "司马", "上官", "诸葛", "东方"]
    static let femaleGiven = Array("芳娜秀英敏静丽艳娟霞平桂玉萍红玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉娣叶璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可舒影荔枝思").map(String.init)
    static let maleGiven = Array("伟强磊军洋勇杰涛明超刚华平辉鹏斌宇浩凯健俊帆帅旭宁龙林阳文博彬晨瑞豪睿翔鑫亮成康波东志峰建坤海波涛栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘").map(String.init)
    static let nickWords = ["小店", "宝宝", "的猫", "酱", "呀", "同学", "妈妈", "爸爸", "家的", "小仙女", "大王", "不吃香菜", "爱购物", "在路上", "的日常", "很忙", "_sz", "lover", "girl", "boy", "tb", "Amy", "Lucy", "Jack", "喵"]
    static let regions: [(String, [String], Int)] = [
        ("广东", ["广州", "深圳", "东莞", "佛山", "珠海"], 14), ("浙江", ["杭州", "宁波", "温州", "金华"], 10),
        ("江苏", ["南京", "苏州", "无锡", "常州"], 10), ("北京", ["北京"], 6), ("上海", ["上海"], 7),
        ("四川", ["成都", "绵阳"], 6), ("山东", ["济南", "青岛", "烟台"], 7), ("湖北", ["武汉", "宜昌"], 5),
        ("福建", ["福州", "厦门", "泉州"], 5), ("河南", ["郑州", "洛阳"], 5), ("湖南", ["长沙", "株洲"], 4),
        ("陕西", ["西安"], 3), ("辽宁", ["沈阳", "大连"], 3), ("重庆", ["重庆"], 3), ("天津", ["天津"], 2),
        ("黑龙江", ["哈尔滨"], 2), ("云南", ["昆明", "大理"], 2), ("新疆", ["乌鲁木齐"], 1), ("安徽", ["合肥", "芜湖"], 3),
        ("江西", ["南昌"], 2), ("广西", ["南宁", "桂林"], 2), ("河北", ["石家庄", "保定"], 3),
    ]
    static let regionWeight = regions.reduce(0) { $0 + $1.2 }

    static func person(_ rng: inout SplitMix64) -> (name: String, gender: String) {
        let female = rng.below(100) < 68   // apparel-and-beauty shops skew female
        let given = female ? femaleGiven : maleGiven
        let surname = rng.below(100) == 0 ? compoundSurnames[rng.below(compoundSurnames.count)] : surnames[rng.below(surnames.count)]
        var name = surname + given[rng.below(given.count)]
        if rng.below(3) > 0 { name += given[rng.below(given.count)] }
        return (name, female ? "F" : (rng.below(20) == 0 ? "U" : "M"))
    }

    static func nick(_ rng: inout SplitMix64, name: String, index: Int) -> String {
        let word = nickWords[rng.below(nickWords.count)]
        switch rng.below(5) {
        case 0: return name + word
        case 1: return femaleGiven[rng.below(femaleGiven.count)] + femaleGiven[rng.below(femaleGiven.count)] + word + String(index % 1000)
        case 2: return "tb" + String(100_000_000 + index * 37 % 900_000_000)
        case 3: return word + name.dropFirst() + String(1980 + rng.below(25))
        default: return name.dropFirst() + word + String(index)
        }
    }

    static func region(_ rng: inout SplitMix64) -> (String, String) {
        var pick = rng.below(regionWeight)
        for (p, cities, w) in regions {
            if pick < w { return (p, cities[rng.below(cities.count)]) }
            pick -= w
        }
        return ("广东", "广州")
    }

    static func phone(_ rng: inout SplitMix64) -> String {
        let prefixes = ["138", "139", "137", "136", "135", "158", "159", "186", "187", "188", "177", "199", "152", "150", "131", "132"]
        return prefixes[rng.below(prefixes.count)] + String(format: "%08d", rng.below(100_000_000))
    }
}
