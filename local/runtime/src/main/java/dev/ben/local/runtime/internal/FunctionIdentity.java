package dev.ben.local.runtime.internal;

/** Name, ARN and memory of a local function (account 000000000000, as LocalStack uses). */
public record FunctionIdentity(String name, String region, int memoryMb) {
    public static final String ACCOUNT = "000000000000";
    public static final String VERSION = "$LATEST";

    public String arn() {
        return "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + name;
    }
}
