import Testing
@testable import TerminalKit

/// A member-list screen assembled from the widgets, the way the console will:
/// title, table over a paged source, status line, hint bar.
struct SampleMember { let id: Int; let name: String; let tier: String; let phone: String; let spent: String; let last: String }

let sampleMembers: [SampleMember] = {
    let names = ["张三", "李四", "王小明", "欧阳娜娜", "Alice 王", "司马相如", "赵六", "Bob", "陈晓东VIP会员超长名字", "刘洋"]
    let tiers = ["普通", "银卡", "金卡", "钻石"]
    return (0..<30).map { (i: Int) -> SampleMember in
        let phone: String = "138****" + String(String(1000 + i * 37).suffix(4))
        let spent: String = "¥" + String((i * 7919) % 100000) + ".00"
        let month: Int = 1 + i % 9
        let last: String = "2024-0\(month)-1\(i % 10)"
        return SampleMember(id: i + 1, name: names[i % names.count], tier: tiers[i % 4], phone: phone, spent: spent, last: last)
    }
}()

func drawSampleScreen(on g: ScreenGrid, viewport: inout ListViewport, keyMap: KeyMap<StandardAction>) {
    let (titleRow, rest) = g.bounds.splitTop(1)
    let (body, chrome) = rest.splitBottom(2)
    g.fill(titleRow, role: .title)
    g.put("ecrm 会员管理 · 小王的淘宝店", x: 1, y: 0, role: .title)
    let table = Table([
        TableColumn("编号", .fixed(4), align: .right),
        TableColumn("姓名", .flex(min: 10)),
        TableColumn("等级", .fixed(4)),
        TableColumn("手机", .fixed(11)),
        TableColumn("累计消费", .fixed(10), align: .right),
        TableColumn("最近下单", .fixed(10)),
    ])
    let tierRole: [String: StyleRole] = ["普通": .tier1, "银卡": .tier2, "金卡": .tier3, "钻石": .tier4]
    TableView.draw(on: g.region(body), table: table, viewport: &viewport, source: ArrayRowSource(sampleMembers),
                   cells: { m in [String(m.id), m.name, m.tier, m.phone, m.spent, m.last] },
                   cellRoles: { m in [nil, nil, tierRole[m.tier], nil, nil, nil] })
    StatusLine.draw(on: g, y: chrome.y, left: "[会员] 全部会员  筛选: 无", right: viewport.positionText)
    HintBar.draw(on: g, y: chrome.y + 1, hints: keyMap.hints())
}

@Suite struct SampleLayoutTests {
    @Test func memberScreenAt80x24() {
        let g = ScreenGrid(width: 80, height: 24)
        var vp = ListViewport()
        drawSampleScreen(on: g, viewport: &vp, keyMap: .standard)
        vp.apply(.moveDown); vp.apply(.moveDown)
        g.reset()
        drawSampleScreen(on: g, viewport: &vp, keyMap: .standard)
        #expect(g.text() == """
         ecrm 会员管理 · 小王的淘宝店
        编号 姓名                                 等级 手机          累计消费 最近下单
           1 张三                                 普通 138****1000      ¥0.00 2024-01-10
           2 李四                                 银卡 138****1037   ¥7919.00 2024-02-11
           3 王小明                               金卡 138****1074  ¥15838.00 2024-03-12
           4 欧阳娜娜                             钻石 138****1111  ¥23757.00 2024-04-13
           5 Alice 王                             普通 138****1148  ¥31676.00 2024-05-14
           6 司马相如                             银卡 138****1185  ¥39595.00 2024-06-15
           7 赵六                                 金卡 138****1222  ¥47514.00 2024-07-16
           8 Bob                                  钻石 138****1259  ¥55433.00 2024-08-17
           9 陈晓东VIP会员超长名字                普通 138****1296  ¥63352.00 2024-09-18
          10 刘洋                                 银卡 138****1333  ¥71271.00 2024-01-19
          11 张三                                 金卡 138****1370  ¥79190.00 2024-02-10
          12 李四                                 钻石 138****1407  ¥87109.00 2024-03-11
          13 王小明                               普通 138****1444  ¥95028.00 2024-04-12
          14 欧阳娜娜                             银卡 138****1481   ¥2947.00 2024-05-13
          15 Alice 王                             金卡 138****1518  ¥10866.00 2024-06-14
          16 司马相如                             钻石 138****1555  ¥18785.00 2024-07-15
          17 赵六                                 普通 138****1592  ¥26704.00 2024-08-16
          18 Bob                                  银卡 138****1629  ¥34623.00 2024-09-17
          19 陈晓东VIP会员超长名字                金卡 138****1666  ¥42542.00 2024-01-18
          20 刘洋                                 钻石 138****1703  ¥50461.00 2024-02-19
         [会员] 全部会员  筛选: 无                                                 3/30
        j/↓ 移动  Enter 打开  / 搜索  Tab 切换  ? 帮助  q 返回
        """)
        #expect(g.roleMask(4, .selection) == String(repeating: "#", count: 80))
        for y in 0..<24 { #expect(displayWidth(g.line(y)) == 80) }
    }

    @Test func memberScreenWithConfirmOverlayAt120x40() {
        let g = ScreenGrid(width: 120, height: 40)
        var vp = ListViewport()
        vp.setCount(sampleMembers.count); vp.setHeight(36)
        vp.apply(.bottom)
        drawSampleScreen(on: g, viewport: &vp, keyMap: .standard)
        var dialog = ConfirmDialog(title: "删除会员", message: "确定删除会员「刘洋」及其 12 笔订单记录？", confirmWord: "删除")
        _ = dialog.handle(.paste("删"))
        dialog.draw(on: g)
        #expect(g.text() == """
         ecrm 会员管理 · 小王的淘宝店
        编号 姓名                                                                         等级 手机          累计消费 最近下单
           1 张三                                                                         普通 138****1000      ¥0.00 2024-01-10
           2 李四                                                                         银卡 138****1037   ¥7919.00 2024-02-11
           3 王小明                                                                       金卡 138****1074  ¥15838.00 2024-03-12
           4 欧阳娜娜                                                                     钻石 138****1111  ¥23757.00 2024-04-13
           5 Alice 王                                                                     普通 138****1148  ¥31676.00 2024-05-14
           6 司马相如                                                                     银卡 138****1185  ¥39595.00 2024-06-15
           7 赵六                                                                         金卡 138****1222  ¥47514.00 2024-07-16
           8 Bob                                                                          钻石 138****1259  ¥55433.00 2024-08-17
           9 陈晓东VIP会员超长名字                                                        普通 138****1296  ¥63352.00 2024-09-18
          10 刘洋                                                                         银卡 138****1333  ¥71271.00 2024-01-19
          11 张三                                                                         金卡 138****1370  ¥79190.00 2024-02-10
          12 李四                                                                         钻石 138****1407  ¥87109.00 2024-03-11
          13 王小明                                                                       普通 138****1444  ¥95028.00 2024-04-12
          14 欧阳娜娜                                                                     银卡 138****1481   ¥2947.00 2024-05-13
          15 Alice 王                        ┌─ 删除会员 ─────────────────────────────────┐ 卡 138****1518  ¥10866.00 2024-06-14
          16 司马相如                        │                                            │ 石 138****1555  ¥18785.00 2024-07-15
          17 赵六                            │ 确定删除会员「刘洋」及其 12 笔订单记录？   │ 通 138****1592  ¥26704.00 2024-08-16
          18 Bob                             │ 请输入「删除」确认 Type "删除" to confirm: │ 卡 138****1629  ¥34623.00 2024-09-17
          19 陈晓东VIP会员超长名字           │ 删                                         │ 卡 138****1666  ¥42542.00 2024-01-18
          20 刘洋                            │                                            │ 石 138****1703  ¥50461.00 2024-02-19
          21 张三                            └────────────────────────────────────────────┘ 通 138****1740  ¥58380.00 2024-03-10
          22 李四                                                                         银卡 138****1777  ¥66299.00 2024-04-11
          23 王小明                                                                       金卡 138****1814  ¥74218.00 2024-05-12
          24 欧阳娜娜                                                                     钻石 138****1851  ¥82137.00 2024-06-13
          25 Alice 王                                                                     普通 138****1888  ¥90056.00 2024-07-14
          26 司马相如                                                                     银卡 138****1925  ¥97975.00 2024-08-15
          27 赵六                                                                         金卡 138****1962   ¥5894.00 2024-09-16
          28 Bob                                                                          钻石 138****1999  ¥13813.00 2024-01-17
          29 陈晓东VIP会员超长名字                                                        普通 138****2036  ¥21732.00 2024-02-18
          30 刘洋                                                                         银卡 138****2073  ¥29651.00 2024-03-19






         [会员] 全部会员  筛选: 无                                                                                        30/30
        j/↓ 移动  Enter 打开  / 搜索  Tab 切换  ? 帮助  q 返回
        """)
        #expect(g.cursor.map { $0 == (41, 20) } == true, "cursor \(String(describing: g.cursor))")   // after 删 in the dialog's input
        // The box edge cut 金卡's 金 in half: the other half is blanked, never left dangling.
        #expect(g.line(16).contains("┐ 卡 138"))
    }
}
