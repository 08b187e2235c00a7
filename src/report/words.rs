//! The words of the periodic report (定期通报), in Chinese and English: every heading,
//! column and label the Markdown, HTML and CSV forms print. Terms follow the county's
//! rules (登记, 舆情信息, 舆情事项, 问责建议), as the console does.

crate::i18n::catalogue! {
    /// A word of the report.
    W {
        Title => "政务舆情回应处置情况通报", "Public-opinion response report";
        Period => "统计区间", "Period";
        AsOf => "统计截至", "Figures as of";
        Intake => "一、舆情收集情况", "1. Items received";
        ByChannel => "按渠道", "By channel";
        Handling => "二、处置情况", "2. Handling";
        Received => "收到舆情信息", "Items received";
        Dismissed => "排除", "Dismissed";
        Attached => "并入舆情事项", "Made into or attached to cases";
        Pending => "待处理", "Still in the queue";
        Expired => "过期移出", "Expired untriaged";
        Cases => "登记", "Cases opened";
        BySeverity => "按级别", "By severity";
        ByCategory => "按类别", "By category";
        Timeliness => "三、回应时效", "3. Response timeliness";
        Milestone => "节点", "Milestone";
        Due => "应完成", "Due";
        OnTime => "按时", "On time";
        Late => "超时完成", "Late";
        Overdue => "超时未完成", "Overdue, unmet";
        Departments => "四、各单位情况（排名）", "4. Departments (ranked)";
        Ranking => "排名依据：按时完成率由高到低（第1名最好），其次在办超时舆情事项少、首次回应快。按时完成率 = 按时完成的节点 ÷ 本期应完成的节点（提前完成的计入完成当期）；“-”表示本期无应完成节点。各项相同的单位名次并列，按单位名录顺序排列。", "Ranked best first: the highest on-time rate, then the fewest overdue cases, then the quickest first response. On-time rate = milestones met on time ÷ milestones that fell due in the period (one met early counts when it was met); \"-\": none fell due. Departments equal on all three share a rank, in the directory's order.";
        Inactive => "本期无牵头、协办或节点的单位（不排名）", "No case, milestone or act in the period (not ranked)";
        Rank => "名次", "Rank";
        Department => "单位", "Department";
        Led => "牵头", "Led";
        Co => "协办", "Co";
        Open => "在办", "Open";
        OverdueNow => "超时", "Overdue";
        Rate => "按时完成率（按时/应完成）", "On-time rate (on time/due)";
        Median => "首次回应中位(分钟)", "Median 1st response (min)";
        Acks => "签收", "Ack";
        Escalations => "督办", "Escalations";
        Extensions => "延期", "Extensions";
        Marks => "问责建议", "Accountability";
        Referrals => "移交", "Referrals";
        OverdueCases => "五、超时未回应舆情事项", "5. Overdue cases";
        Case => "舆情事项", "Case";
        Lead => "牵头单位", "Lead";
        LateBy => "超时", "Late by";
        Supervision => "六、督办、延期、问责建议与移交", "6. Escalations, extensions, accountability, referrals";
        Kind => "类型", "Kind";
        Time => "时间", "Time";
        Note => "说明", "Note";
        Trend => "七、每日趋势", "7. Daily trend";
        Wordings => "八、统一口径", "8. Agreed wordings";
        Monitoring => "九、每日监测记录", "9. Daily monitoring records";
        Nil => "零报告", "nil";
        Unreported => "未报", "not reported";
        Wording => "口径", "Wording";
        Day => "日期", "Day";
        Items => "舆情信息", "Items";
        None => "无", "None";
        Escalation => "督办", "escalation";
        Extension => "延期", "extension";
        Accountability => "问责建议", "accountability";
        Referral => "移交", "referral";
    }
}
