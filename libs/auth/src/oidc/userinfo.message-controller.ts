import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AuthPattern, UserInfo } from '@platform/contracts';
import { CurrentPrincipal, Principal, Scopes } from '@platform/security';
import { UserInfoService } from './userinfo.service';

@Controller()
export class UserInfoMessageController {
  constructor(private readonly userInfo: UserInfoService) {}

  /** OpenID Connect Core 5.3.1: an access token with `openid`. */
  @Scopes('openid')
  @MessagePattern(AuthPattern.GetUserInfo)
  get(@CurrentPrincipal() principal: Principal): Promise<UserInfo> {
    return this.userInfo.userInfo(principal);
  }
}
