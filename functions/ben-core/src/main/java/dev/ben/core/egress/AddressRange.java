package dev.ben.core.egress;

/** Why an address is refused. {@link #allowable()} ranges may be opened by configuration. */
public enum AddressRange {
    /** 0.0.0.0/8, :: — "this host"; connecting to it reaches localhost on Linux. Never allowed. */
    UNSPECIFIED("unspecified (0.0.0.0/8, ::)", false),
    /** 127.0.0.0/8, ::1. */
    LOOPBACK("loopback (127.0.0.0/8, ::1)", true),
    /** 10/8, 172.16/12, 192.168/16. */
    PRIVATE("private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)", true),
    /** 100.64.0.0/10 carrier-grade NAT (Alibaba's metadata 100.100.100.200 is here). */
    CARRIER_GRADE_NAT("carrier-grade NAT (100.64.0.0/10)", true),
    /** 169.254/16, fe80::/10. */
    LINK_LOCAL("link-local (169.254.0.0/16, fe80::/10)", true),
    /** fc00::/7 unique-local and fec0::/10 deprecated site-local IPv6. */
    UNIQUE_LOCAL("unique-local (fc00::/7, fec0::/10)", true),
    /** Cloud instance metadata: 169.254.169.254, fd00:ec2::254, 192.0.0.192 (OCI). Never allowed. */
    METADATA("cloud metadata (169.254.169.254, fd00:ec2::254)", false),
    /** 224.0.0.0/4, ff00::/8. Never allowed. */
    MULTICAST("multicast (224.0.0.0/4, ff00::/8)", false),
    /** 255.255.255.255. Never allowed. */
    BROADCAST("broadcast (255.255.255.255)", false),
    /**
     * Special-purpose, not globally reachable: 192.0.0.0/24, 198.18.0.0/15, 240.0.0.0/4, 100::/64,
     * 64:ff9b:1::/48, Teredo 2001::/32 (embeds an obfuscated IPv4). Never allowed.
     */
    RESERVED("reserved / special-purpose", false);

    private final String description;
    private final boolean allowable;

    AddressRange(String description, boolean allowable) {
        this.description = description;
        this.allowable = allowable;
    }

    public String description() {
        return description;
    }

    /** True when {@code allowPrivate} or an allow-list entry may open this range (local development, VPCs). */
    public boolean allowable() {
        return allowable;
    }
}
