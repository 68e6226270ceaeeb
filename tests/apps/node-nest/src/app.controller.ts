import { Controller, Get } from '@nestjs/common';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly service: AppService) {}

  @Get()
  hello(): { message: string } {
    return { message: this.service.greeting() };
  }

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('models')
  models(): { models: string[] } {
    return { models: this.service.models() };
  }
}
